package io.otaedge.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.testing.Await;
import io.otaedge.common.testing.RedisProcesses;
import io.otaedge.standalone.StandaloneMain;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * Issue 13, fault 4: the standalone ({@link StandaloneMain}) killed with SIGKILL three times in a row, each time while
 * a firmware upload is half sent and a device is half way through a download; its Redis, in a session of its own,
 * survives each kill, and the third is followed by that stale Redis rewriting its AOF. After each restart on the same
 * data directory: exactly one Redis runs there; the half-sent firmware is neither listed nor stored (its temp file is
 * gone and no blob holds its bytes); every acknowledged write (products, firmwares with their blobs byte for byte,
 * tasks and the device's download token) is still there; and the cut download resumes with {@code Range} to the right
 * sha-256. {@code StandaloneCrashTest} in {@code standalone/} covers the same crashes without traffic.
 */
@Tag("slow") // real processes: run by `./mvnw -B verify -Pslow` (see README, Tests)
class StandaloneKillFaultTest {

    static final Pattern REDIS = Pattern.compile("redis\\s+(redis://\\S+)");
    static final String KEY = "faults-standalone-key-9d4a2e7b61c0f358";
    static final int UPLOAD = 16 << 20;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // the standalone's logs stay for a failed run
    Path dir;

    final int edgePort = SplitSystem.freePort();
    final int devicePort = SplitSystem.freePort();
    final int adminPort = SplitSystem.freePort();
    final int edgeAdminPort = SplitSystem.freePort();

    @Test
    void killedThreeTimesDuringAnUploadAndADownloadKeepsOneRedisNoHalfFirmwareAndEveryAcknowledgedWrite() throws Exception {
        Path data = dir.resolve("data");
        Admin admin = new Admin("http://127.0.0.1:" + adminPort, KEY);
        Map<String, JsonNode> firmwares = new LinkedHashMap<>(); // product → its acknowledged firmware record
        Map<String, byte[]> images = new LinkedHashMap<>();
        List<String> figures = new ArrayList<>();
        ResumingDownload cut = null;
        byte[] cutImage = null;
        for (int run = 1; run <= 4; run++) {
            Path log = dir.resolve("run-" + run + ".log");
            ServiceJvm jvm = start(data, log);
            try {
                assertThat(redisServersOn(data.resolve("redis"))).as("Redis servers on the data directory, start " + run).hasSize(1);
                try (Stream<Path> parts = Files.list(data.resolve("blobs").resolve("tmp"))) {
                    assertThat(parts.toList()).as("no temp file of a half upload").isEmpty();
                }
                for (var acked : firmwares.entrySet()) {
                    String product = acked.getKey();
                    JsonNode listed = admin.call("GET", "/admin/v1/products/" + product + "/firmwares", null, 200);
                    assertThat(listed.toString()).as(product + "'s firmwares").contains(acked.getValue().get("id").asText())
                            .doesNotContain("\"9.9.9\"");
                    String sha = acked.getValue().get("sha256").asText();
                    assertThat(sha256(Files.readAllBytes(data.resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha))))
                            .as(product + "'s blob").isEqualTo(sha);
                    assertThat(sha).isEqualTo(sha256(images.get(product)));
                }
                assertThat(blobCount(data)).as("blobs: one per acknowledged firmware, none of a half upload").isEqualTo(firmwares.size());
                if (cut != null) {
                    long before = cut.received();
                    assertThat(cut.attempt(edgePort, 64 * 1024, 0)).as("the cut download resumed").isTrue();
                    assertThat(cut.statusLines()).last().isEqualTo("HTTP/1.1 206 Partial Content");
                    assertThat(cut.sha256()).isEqualTo(sha256(cutImage));
                    figures.add("run " + run + ": resumed from " + before);
                }
                if (run == 4) {
                    break;
                }

                // Acknowledged writes of this run: a product, its firmware and a task; a device's token for it.
                String product = "crash" + run;
                assertThat(admin.createProduct(product)).isEqualTo(201);
                byte[] image = new byte[(10 << 20) + run]; // more than the kernel's socket buffers hold
                new Random(run).nextBytes(image);
                JsonNode fw = admin.uploadFirmware(product, (run + 1) + ".0.0", image);
                admin.createTask(product, fw.get("id").asText());
                firmwares.put(product, fw);
                images.put(product, image);
                String token = new Devices(product).oneNetToken("http://127.0.0.1:" + devicePort,
                        admin.oneNetAuthorization(product), 300 + run);

                // In flight at the kill: a download, read slowly, and an upload, half sent.
                ResumingDownload download = new ResumingDownload("/ota/download/" + token);
                CompletableFuture<Boolean> downloading = CompletableFuture.supplyAsync(() -> {
                    try {
                        return download.attempt(edgePort, 4096, 10);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                try (Socket upload = new Socket("127.0.0.1", adminPort)) {
                    OutputStream out = upload.getOutputStream();
                    out.write(("POST /admin/v1/products/" + product + "/firmwares?version=9.9.9&fileName=half.bin HTTP/1.1\r\n"
                            + "Host: 127.0.0.1\r\nAuthorization: Bearer " + KEY + "\r\nContent-Type: application/octet-stream\r\n"
                            + "Content-Length: " + UPLOAD + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    byte[] half = new byte[UPLOAD / 2];
                    new Random(99).nextBytes(half);
                    out.write(half);
                    out.flush();
                    Await.until(Duration.ofSeconds(20), () -> partBytes(data) >= 1 << 20, "the half upload on disk");
                    Await.until(Duration.ofSeconds(20), () -> download.received() >= 64 * 1024, "the download under way");
                    jvm.kill();
                }
                download.pace(0); // drain what the kernel still holds, to find the cut quickly
                assertThat(downloading.get(30, TimeUnit.SECONDS)).as("the download cut by the kill").isFalse();
                cut = download;
                cutImage = image;
                figures.add("run " + run + ": killed with " + download.received() + " of " + image.length
                        + " bytes downloaded and " + UPLOAD / 2 + " of " + UPLOAD + " uploaded");
                assertThat(redisServersOn(data.resolve("redis"))).as("the killed JVM's Redis keeps running").hasSize(1);
                if (run == 3) {
                    // The server the dead JVM left behind rewrites its AOF, as Redis does by itself as the file grows.
                    try (RedisConnector stale = RedisConnector.connect(redisUri(log))) {
                        stale.async().bgrewriteaof().get(10, TimeUnit.SECONDS);
                    }
                }
            } finally {
                jvm.close();
            }
        }
        assertThat(redisServersOn(data.resolve("redis"))).as("a clean stop stops its Redis").isEmpty();
        System.out.println("FAULT standalone-kill: " + String.join("; ", figures));
    }

    ServiceJvm start(Path data, Path log) throws Exception {
        Map<String, String> env = Map.of(
                "OTA_DATA_DIR", data.toString(),
                "OTA_ADMIN_KEY", KEY,
                "OTA_EDGE_PORT", Integer.toString(edgePort),
                "OTA_CONTROL_PORT", Integer.toString(devicePort),
                "OTA_ADMIN_PORT", Integer.toString(adminPort),
                "OTA_EDGE_ADMIN_PORT", Integer.toString(edgeAdminPort));
        return ServiceJvm.start("standalone", StandaloneMain.class, env, log)
                .awaitOk("http://127.0.0.1:" + adminPort + "/health/ready", SplitSystem.START);
    }

    static String redisUri(Path log) throws IOException {
        for (String line : Files.readAllLines(log)) {
            Matcher m = REDIS.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no Redis URI in " + log);
    }

    /** Bytes in the blob store's temp files (uploads under way). */
    static long partBytes(Path data) {
        try (Stream<Path> parts = Files.list(data.resolve("blobs").resolve("tmp"))) {
            long n = 0;
            for (Path p : (Iterable<Path>) parts::iterator) {
                n += Files.size(p);
            }
            return n;
        } catch (IOException e) {
            return 0;
        }
    }

    static long blobCount(Path data) throws IOException {
        try (Stream<Path> files = Files.walk(data.resolve("blobs"))) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getParent().getFileName().toString().equals("tmp")).count();
        }
    }

    /** Redis processes whose working directory is {@code dir} (Redis changes into its --dir). */
    static List<Long> redisServersOn(Path dir) throws IOException {
        return RedisProcesses.on(dir);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
