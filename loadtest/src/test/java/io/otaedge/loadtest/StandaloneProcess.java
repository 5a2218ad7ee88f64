package io.otaedge.loadtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standalone jar ({@code standalone/target/ota-standalone.jar}) started as its own process on
 * free ports with a fresh data directory, for the smoke run. Its own JVM keeps the services'
 * classpath apart from Gatling's. Its output goes to {@code <dataDir>/../standalone.log}; the URLs
 * are read from the banner it prints once everything listens.
 */
public final class StandaloneProcess implements AutoCloseable {

    private static final Pattern EDGE = Pattern.compile("edge \\(downloads\\)\\s+(http://[^/\\s]+)/");
    private static final Pattern DEVICE = Pattern.compile("control \\(devices\\)\\s+(http://[^/\\s]+)/");
    private static final Pattern ADMIN = Pattern.compile("admin API\\s+(http://[^/\\s]+)/");
    private static final Pattern REDIS = Pattern.compile("^\\s+redis\\s+(rediss?(?:-cluster)?://\\S+)");

    private final Process process;
    private final Thread killOnExit;
    public final String edgeUrl;
    public final String deviceUrl;
    public final String adminUrl;
    public final String adminKey;
    /** The Redis it uses, as its banner names it (the embedded one's {@code redis://127.0.0.1:<port>}). */
    public final String redisUri;

    private StandaloneProcess(Process process, Thread killOnExit, String edgeUrl, String deviceUrl, String adminUrl, String adminKey,
                              String redisUri) {
        this.process = process;
        this.killOnExit = killOnExit;
        this.edgeUrl = edgeUrl;
        this.deviceUrl = deviceUrl;
        this.adminUrl = adminUrl;
        this.adminKey = adminKey;
        this.redisUri = redisUri;
    }

    static StandaloneProcess start(Path jar, Path workDir) throws IOException, InterruptedException {
        return start(jar, workDir, Map.of());
    }

    /** As {@link #start(Path, Path)}, with more {@code OTA_*} settings in its environment. */
    public static StandaloneProcess start(Path jar, Path workDir, Map<String, String> settings) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build the standalone first "
                    + "(./mvnw -B verify builds every module in order; alone: ./mvnw -B -DskipTests -pl standalone -am package)");
        }
        String adminKey = "smoke-" + UUID.randomUUID();
        Path log = workDir.resolve("standalone.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("OTA_"));
        env.put("OTA_DATA_DIR", workDir.resolve("data").toString());
        env.put("OTA_ADMIN_KEY", adminKey);
        env.put("OTA_EDGE_PORT", "0");
        env.put("OTA_CONTROL_PORT", "0");
        env.put("OTA_ADMIN_PORT", "0");
        env.put("OTA_EDGE_ADMIN_PORT", "0");
        env.put("OTA_LOG_LEVEL", "WARN");
        // Every simulated device comes from loopback at benchmark rates: the per-address limit would measure itself.
        env.put("OTA_RATE_ADDRESS_PER_SECOND", "0");
        env.putAll(settings);
        Process process = pb.start();
        Thread killOnExit = new Thread(process::destroyForcibly, "standalone-smoke-kill");
        Runtime.getRuntime().addShutdownHook(killOnExit);

        CompletableFuture<String[]> urls = new CompletableFuture<>();
        Thread reader = new Thread(() -> readOutput(process, log, urls), "standalone-smoke-output");
        reader.setDaemon(true);
        reader.start();
        try {
            String[] u = urls.get(90, TimeUnit.SECONDS);
            return new StandaloneProcess(process, killOnExit, u[0], u[1], u[2], adminKey, u[3]);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the standalone did not come up (" + e.getMessage() + "); its output:\n"
                    + (Files.exists(log) ? Files.readString(log) : "(none)"), e);
        }
    }

    /** Copies the output to the log; completes {@code urls} with edge, device, admin, Redis once all were printed. */
    private static void readOutput(Process process, Path log, CompletableFuture<String[]> urls) {
        String[] found = new String[4];
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                capture(EDGE, line, found, 0);
                capture(DEVICE, line, found, 1);
                capture(ADMIN, line, found, 2);
                capture(REDIS, line, found, 3);
                if (found[0] != null && found[1] != null && found[2] != null && found[3] != null) {
                    urls.complete(found.clone());
                }
            }
        } catch (IOException e) {
            urls.completeExceptionally(e);
        }
        // A no-op once the URLs were found; otherwise the process ended before it was ready.
        urls.completeExceptionally(new IllegalStateException("the standalone's output ended before it printed its URLs"));
    }

    private static void capture(Pattern p, String line, String[] found, int index) {
        Matcher m = p.matcher(line);
        if (found[index] == null && m.find()) {
            found[index] = m.group(1);
        }
    }

    /** SIGTERM (a graceful stop), then a kill if it takes longer than 30 s. */
    @Override
    public void close() {
        stop();
    }

    /** {@link #close()}, answering the process's exit status. */
    int stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().removeShutdownHook(killOnExit);
        return process.isAlive() ? -1 : process.exitValue();
    }
}
