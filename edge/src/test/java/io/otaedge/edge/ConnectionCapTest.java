package io.otaedge.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.blob.BlobInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionCapTest {

    @TempDir
    static Path dir;
    private static EdgeFixture edge;
    private static String path;

    @BeforeAll
    static void start() {
        edge = EdgeFixture.start(dir, Map.of("OTA_EDGE_MAX_CONNECTIONS", "2"));
        BlobInfo blob = edge.storeBlob(EdgeFixture.randomBytes(1000, 2));
        path = "/ota/download/" + edge.grant(blob, "fw.bin", Duration.ofMinutes(5));
    }

    @AfterAll
    static void stop() {
        edge.close();
    }

    private static String request() {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-0\r\n\r\n";
    }

    @Test
    void connectionsAboveTheCapGetA503WithRetryAfterAndAreClosed() throws Exception {
        try (RawHttp a = new RawHttp(edge.port()); RawHttp b = new RawHttp(edge.port())) {
            assertThat(a.send(request()).read().status()).isEqualTo(206);
            assertThat(b.send(request()).read().status()).isEqualTo(206);
            try (RawHttp c = new RawHttp(edge.port())) {
                RawHttp.Response r = c.send(request()).read();
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.headerLines()).contains("Retry-After: 5", "Connection: close");
                assertThat(r.bodyText()).contains("\"error\":\"overloaded\"");
                assertThat(c.closedByServer()).isTrue();
            }
            // The connections under the cap are untouched.
            assertThat(a.send(request()).read().status()).isEqualTo(206);
        }
        TimeoutTest.awaitOpenConnections(edge, 0, Duration.ofSeconds(5));
        try (RawHttp d = new RawHttp(edge.port())) {
            assertThat(d.send(request()).read().status()).isEqualTo(206);
        }
    }
}
