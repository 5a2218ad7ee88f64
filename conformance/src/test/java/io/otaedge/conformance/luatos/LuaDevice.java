package io.otaedge.conformance.luatos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A LuatOS board simulated under {@code lua5.4}: {@code src/test/resources/luatos/device.lua} loads our shims
 * of LuatOS' built-in modules ({@code sys, log, rtos, hmeta, mcu, mobile, wlan, fota, json, http}) and runs
 * one upgrade check with a fota library. Each {@code http.request} the library makes comes here, is
 * answered by {@code network} (which sends it at the system the way {@code luat_http_client.c} does), and
 * the library's own code turns the answer into its callback code.
 *
 * <p>The library is LuatOS' own file when {@value #LIBS_PROPERTY} (system property) or {@value #LIBS_ENV}
 * (environment) names a directory holding {@code libfota2.lua} and {@code libfota.lua} (LuatOS'
 * {@code script/libs}; never committed here); otherwise our own builder of the same behaviour,
 * {@code src/test/resources/luatos/builders/}. Needs {@code lua5.4} ({@code .ci/install-tools.sh}).
 */
final class LuaDevice {

    static final String LIBS_PROPERTY = "luatos.libs";
    static final String LIBS_ENV = "LUATOS_LIBS";
    private static final String LUA = "lua5.4";
    private static final java.util.Set<Library> ANNOUNCED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    enum Library {
        LIBFOTA2("libfota2"), LIBFOTA("libfota");

        final String name;

        Library(String name) {
            this.name = name;
        }
    }

    /** One {@code http.request} the library made: method, URL, {@code fota} or {@code dst} mode, extra headers. */
    record Call(String method, String url, String mode, List<String> headers) {
    }

    /** What the board did: its requests and the library's callback code (null when it never called back). */
    record Run(List<Call> calls, Integer callback, String log) {
    }

    private LuaDevice() {
    }

    /** The directory of LuatOS' own libraries when one is configured, else null (our builders run). */
    static Path realLibraries() {
        String dir = System.getProperty(LIBS_PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = System.getenv(LIBS_ENV);
        }
        return dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    /** The file that runs as {@code library}: LuatOS' own when configured (it must be there), else ours. */
    static Path library(Library library) {
        Path real = realLibraries();
        if (real == null) {
            return resource("builders/" + library.name + ".lua");
        }
        Path file = real.resolve(library.name + ".lua");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(LIBS_PROPERTY + "/" + LIBS_ENV + " names " + real + ", which has no "
                    + library.name + ".lua");
        }
        return file;
    }

    /** The board's globals and profile: the {@code LUATOS_*} variables {@code device.lua} reads. */
    static Map<String, String> board(String... keyValues) {
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }

    /** Runs one check of {@code library} on a board described by {@code env}; {@code network} answers its requests. */
    static Run run(Library library, Map<String, String> env, Function<Call, LuatHttpClient.FotaRead> network)
            throws IOException, InterruptedException {
        if (ANNOUNCED.add(library)) {
            // The test output says which code built the requests: LuatOS' own file or our builder.
            System.out.println("LuatOS board runs " + library(library));
        }
        Path log = Files.createTempFile("luatos-device", ".log");
        ProcessBuilder pb = new ProcessBuilder(LUA, resource("device.lua").toString(), library.name,
                library(library).toString()).redirectError(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LUATOS_"));
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException(LUA + " is needed to run LuatOS' request builders; .ci/install-tools.sh installs it", e);
        }
        List<Call> calls = new ArrayList<>();
        Integer callback = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                String[] f = line.split("\t", -1);
                if (f[0].equals("HTTP")) {
                    Call call = new Call(f[1], f[2], f[3], List.of(Arrays.copyOfRange(f, 4, f.length)));
                    calls.add(call);
                    in.write(network.apply(call).replyLine() + "\n");
                    in.flush();
                } else if (f[0].equals("CALLBACK")) {
                    callback = Integer.valueOf(f[1]);
                }
            }
        } catch (RuntimeException | IOException e) {
            p.destroyForcibly();
            throw e;
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the Lua board did not finish: " + Files.readString(log));
        }
        String text = Files.readString(log);
        Files.deleteIfExists(log);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("the Lua board failed (exit " + p.exitValue() + "): " + text);
        }
        return new Run(calls, callback, text);
    }

    private static Path resource(String name) {
        URL url = LuaDevice.class.getResource("/luatos/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test resource luatos/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
