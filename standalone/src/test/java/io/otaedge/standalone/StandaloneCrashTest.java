package io.otaedge.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.testing.RedisProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * Issue 13's data loss, with real processes: {@code kill -9} of the standalone's JVM leaves its Redis
 * running (it has its own session). The next start on the same data directory must stop that stale server
 * before it starts its own: never two servers on one AOF directory, or a stale one's AOF rewrite takes back
 * every write acknowledged since. Three crashes in a row, the last followed by a rewrite of the stale
 * server's AOF, and every product acknowledged before each crash is still there; a second standalone on a
 * directory in use is refused with a clear message.
 */
@Tag("slow") // real processes: run by `./mvnw -B verify -Pslow` (see README, Tests)
class StandaloneCrashTest {

    static final Pattern ADMIN = Pattern.compile("admin API\\s+(http://[^/\\s]+)/");
    static final Pattern REDIS = Pattern.compile("redis\\s+(redis://\\S+)");

    @TempDir
    Path work;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void threeCrashesInARowLeaveOneRedisAndEveryAcknowledgedWrite() throws Exception {
        Path data = work.resolve("data");
        List<String> acknowledged = new ArrayList<>();
        for (int crash = 1; crash <= 3; crash++) {
            Jvm jvm = Jvm.start(data, work.resolve("run-" + crash + ".log"));
            try {
                assertThat(redisServersOn(data.resolve("redis"))).as("Redis servers on the data directory after start " + crash).hasSize(1);
                for (String product : acknowledged) {
                    assertThat(adminGet(jvm, "/admin/v1/products/" + product)).as(product).isEqualTo(200);
                }
                String product = "crash" + crash;
                assertThat(createProduct(jvm, product)).isEqualTo(201);
                acknowledged.add(product);
                if (crash == 3) {
                    // The server the dead JVM leaves behind rewrites its AOF, as Redis does by itself as the file grows.
                    jvm.kill();
                    try (RedisConnector stale = RedisConnector.connect(jvm.redisUri)) {
                        stale.async().bgrewriteaof().get(10, TimeUnit.SECONDS);
                    }
                    continue;
                }
            } finally {
                jvm.kill();
            }
            assertThat(redisServersOn(data.resolve("redis"))).as("the crashed JVM's Redis keeps running").hasSize(1);
        }
        Jvm last = Jvm.start(data, work.resolve("run-4.log"));
        try {
            assertThat(redisServersOn(data.resolve("redis"))).hasSize(1);
            for (String product : acknowledged) {
                assertThat(adminGet(last, "/admin/v1/products/" + product)).as(product).isEqualTo(200);
            }
            assertThat(Files.readString(work.resolve("run-4.log"))).contains("left running on");

            Jvm second = Jvm.startExpectingFailure(data, work.resolve("second.log"));
            assertThat(second.exitCode).isEqualTo(1);
            assertThat(Files.readString(work.resolve("second.log")))
                    .contains("is in use by another running process (pid " + last.process.pid() + ")");
            assertThat(redisServersOn(data.resolve("redis"))).hasSize(1);
        } finally {
            last.stop();
        }
        assertThat(redisServersOn(data.resolve("redis"))).as("a clean stop stops its Redis").isEmpty();
    }

    int createProduct(Jvm jvm, String product) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(jvm.adminUrl + "/admin/v1/products"))
                .header("Authorization", "Bearer " + Jvm.ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"productId\":\"" + product + "\",\"name\":\"c\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    int adminGet(Jvm jvm, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(jvm.adminUrl + path))
                .header("Authorization", "Bearer " + Jvm.ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** Redis processes whose working directory is {@code dir} (Redis changes into its --dir). */
    static List<Long> redisServersOn(Path dir) throws IOException {
        return RedisProcesses.on(dir);
    }

    /** The standalone in a JVM of its own, on this test's classpath, so that it can be killed for real. */
    static final class Jvm {
        static final String ADMIN_KEY = "crash-test-key-0b7f3c9a51d2e864";

        final Process process;
        String adminUrl;
        String redisUri;
        int exitCode;

        private Jvm(Process process) {
            this.process = process;
        }

        static Jvm start(Path data, Path log) throws Exception {
            Jvm jvm = new Jvm(launch(data, log));
            CompletableFuture<Void> up = new CompletableFuture<>();
            Thread reader = new Thread(() -> jvm.read(log, up), "crash-test-output");
            reader.setDaemon(true);
            reader.start();
            try {
                up.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                jvm.kill();
                throw new IllegalStateException("the standalone did not come up: " + Files.readString(log), e);
            }
            return jvm;
        }

        static Jvm startExpectingFailure(Path data, Path log) throws Exception {
            Jvm jvm = new Jvm(launch(data, log));
            Thread reader = new Thread(() -> jvm.read(log, new CompletableFuture<>()), "crash-test-output");
            reader.setDaemon(true);
            reader.start();
            assertThat(jvm.process.waitFor(60, TimeUnit.SECONDS)).as("the second standalone exits").isTrue();
            reader.join(5_000);
            jvm.exitCode = jvm.process.exitValue();
            return jvm;
        }

        private static Process launch(Path data, Path log) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), StandaloneMain.class.getName())
                    .redirectErrorStream(true);
            pb.environment().keySet().removeIf(k -> k.startsWith("OTA_"));
            pb.environment().put("OTA_DATA_DIR", data.toString());
            pb.environment().put("OTA_ADMIN_KEY", ADMIN_KEY);
            for (String port : List.of("OTA_EDGE_PORT", "OTA_CONTROL_PORT", "OTA_ADMIN_PORT", "OTA_EDGE_ADMIN_PORT")) {
                pb.environment().put(port, "0");
            }
            return pb.start();
        }

        private void read(Path log, CompletableFuture<Void> up) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null; ) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    Matcher a = ADMIN.matcher(line);
                    if (a.find()) {
                        adminUrl = a.group(1);
                    }
                    Matcher r = REDIS.matcher(line);
                    if (r.find()) {
                        redisUri = r.group(1);
                    }
                    if (adminUrl != null && redisUri != null) {
                        up.complete(null);
                    }
                }
            } catch (IOException e) {
                up.completeExceptionally(e);
            }
            up.completeExceptionally(new IllegalStateException("output ended"));
        }

        /** SIGKILL to the JVM alone: its Redis, in a session of its own, is left running. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
