package io.otaedge.edge.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.blob.BlobInfo;
import io.otaedge.common.testing.AccessLines;
import io.otaedge.common.testing.Await;
import io.otaedge.edge.EdgeFixture;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access log of a started edge over a real socket: one line per download with what the grant said (device,
 * token prefix) and what was sent; {@code OTA_ACCESS_LOG=off} installs nothing, so nothing is logged.
 */
class EdgeAccessLogSocketTest {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void aDownloadOverASocketIsOneLine() throws Exception {
        try (EdgeFixture edge = EdgeFixture.start(dir); AccessLines log = AccessLines.attach()) {
            BlobInfo blob = edge.storeBlob(EdgeFixture.randomBytes(5000, 7));
            String token = edge.grant(blob, "fw.bin", Duration.ofMinutes(5), "p1", "t1", "dev-socket");
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(edge.uri("/ota/download/" + token))
                    .header("Range", "bytes=1000-1999").header("X-Request-Id", "socket-1").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(206);

            List<Map<String, Object>> lines = Await.until(Duration.ofSeconds(5), log::lines, l -> !l.isEmpty(), "an access line");
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).containsEntry("request_id", "socket-1").containsEntry("status", 206)
                    .containsEntry("bytes", 1000L).containsEntry("range", "bytes=1000-1999")
                    .containsEntry("device", "dev-socket").containsEntry("token", token.substring(0, 6) + "…")
                    .containsEntry("client", "127.0.0.1").containsEntry("completed", true);
            assertThat((Double) lines.get(0).get("duration_ms")).isGreaterThanOrEqualTo(0.0);
        }
    }

    @Test
    void switchedOffItLogsNothing() throws Exception {
        try (EdgeFixture edge = EdgeFixture.start(dir, Map.of("OTA_ACCESS_LOG", "off")); AccessLines log = AccessLines.attach()) {
            BlobInfo blob = edge.storeBlob(EdgeFixture.randomBytes(100, 8));
            String token = edge.grant(blob, "fw.bin", Duration.ofMinutes(5));
            for (int i = 0; i < 3; i++) {
                assertThat(http.send(HttpRequest.newBuilder(edge.uri("/ota/download/" + token)).build(),
                        HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(200);
            }
            // A download on an edge with the log on, after those: its line shows the loggers were listening.
            try (EdgeFixture on = EdgeFixture.start(dir.resolve("on"))) {
                BlobInfo b = on.storeBlob(EdgeFixture.randomBytes(100, 9));
                http.send(HttpRequest.newBuilder(on.uri("/ota/download/" + on.grant(b, "fw.bin", Duration.ofMinutes(5)))).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                Await.until(Duration.ofSeconds(5), () -> !log.lines().isEmpty(), "the other edge's line");
            }
            assertThat(log.lines()).hasSize(1);
        }
    }
}
