package io.otaedge.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.blob.BlobInfo;
import io.otaedge.common.metrics.PrometheusText;
import io.otaedge.common.metrics.ServiceMetrics;
import io.otaedge.common.redis.TestRedis;
import io.otaedge.common.token.TokenStore;
import io.otaedge.edge.metrics.EdgeMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ota_edge_* meters move with real downloads over real sockets, and requests register no meters. */
class EdgeMetricsTest {

    @TempDir
    Path dir;

    private ServiceMetrics metrics;
    private EdgeFixture edge;
    private BlobInfo blob;
    private String token;

    @BeforeEach
    void start() {
        metrics = ServiceMetrics.create();
        TokenStore tokens = new TokenStore(TestRedis.connector().async());
        edge = EdgeFixture.start(dir, Map.of(), tokens, tokens::find, new EdgeMetrics(metrics.registry()));
        blob = edge.storeBlob(EdgeFixture.randomBytes(10_000, 7));
        token = edge.grant(blob, "fw.bin", Duration.ofMinutes(5));
    }

    @AfterEach
    void stop() {
        edge.close();
        metrics.close();
    }

    @Test
    void requestsAreCountedByStatusAndKindWithBytesAndDurations() throws Exception {
        get("GET", token, null);
        get("GET", token, "bytes=0-99");
        get("GET", token, "bytes=0-9,100-109");
        get("HEAD", token, null);
        get("GET", "A".repeat(22), null);
        get("GET", token, "bytes=20000-");

        PrometheusText t = settled(6);
        assertThat(requests(t, "200", "full")).isEqualTo(1);
        assertThat(requests(t, "206", "range")).isEqualTo(1);
        assertThat(requests(t, "206", "multirange")).isEqualTo(1);
        assertThat(requests(t, "200", "head")).isEqualTo(1);
        assertThat(requests(t, "404", "error")).isEqualTo(1);
        assertThat(requests(t, "416", "error")).isEqualTo(1);
        assertThat(t.sum("ota_edge_requests_total")).isEqualTo(6);
        // full file + one range + multipart body (two 10-byte parts plus framing) + the error bodies
        assertThat(t.sum("ota_edge_bytes_sent_total")).isGreaterThan(10_000 + 100 + 20);
        assertThat(t.sum("ota_edge_download_duration_seconds_count")).isEqualTo(6);
        assertThat(t.sum("ota_edge_time_to_first_byte_seconds_count")).isEqualTo(6);
        assertThat(t.type("ota_edge_download_duration_seconds")).isEqualTo("histogram");
        assertThat(t.sum("ota_edge_redis_latency_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(t.sum("ota_edge_token_cache_requests_total", Map.of("result", "hit"))).isGreaterThanOrEqualTo(1);
        assertThat(t.sum("ota_edge_connections_active")).isGreaterThanOrEqualTo(0);
        assertThat(t.has("ota_edge_direct_memory_used_bytes")).isTrue();
        assertThat(t.has("ota_edge_origin_pulls_total")).isTrue();
    }

    @Test
    void bytesSentIsExactlyTheBodyBytesOfAFullDownload() throws Exception {
        get("GET", token, null);
        // The byte count lands when the last write completes, which may be after the client has the body.
        double sent = io.otaedge.common.testing.Await.until(Duration.ofSeconds(10),
                () -> settled(1).sum("ota_edge_bytes_sent_total"), b -> b >= 10_000, "the download's bytes counted");
        assertThat(sent).isEqualTo(10_000);
    }

    @Test
    void requestCountersArePreRegisteredSoRequestsAddNoMeters() throws Exception {
        get("GET", token, null);
        settled(1);
        List<String> meters = meterIds();
        assertThat(scrape().samples().stream().filter(s -> s.name().equals("ota_edge_requests_total")).count())
                .as("every status x kind combination exported from the start").isEqualTo(8 * 6);
        for (int i = 0; i < 20; i++) {
            get("GET", token, "bytes=" + i + "-" + (i + 10));
            get("GET", "B".repeat(22), null);
        }
        assertThat(requests(settled(41), "206", "range")).isEqualTo(20);
        assertThat(meterIds()).as("no meter is added by requests").containsExactlyInAnyOrderElementsOf(meters);
    }

    /** The product meters' ids (the JVM's own appear lazily: a GC pause meter at the first collection). */
    private List<String> meterIds() {
        return metrics.registry().getMeters().stream().filter(m -> m.getId().getName().startsWith("ota."))
                .map(m -> m.getId().toString()).toList();
    }

    @Test
    void connectionsAndRefusalsAboveTheCapAreCounted() throws Exception {
        EdgeMetrics capped = EdgeMetrics.unregistered();
        TokenStore tokens = new TokenStore(TestRedis.connector().async());
        try (EdgeFixture small = EdgeFixture.start(dir.resolve("capped"), Map.of("OTA_EDGE_MAX_CONNECTIONS", "1"), tokens,
                tokens::find, capped);
             RawHttp a = new RawHttp(small.port())) {
            String capToken = small.grant(small.storeBlob(EdgeFixture.randomBytes(100, 8)), "fw.bin", Duration.ofMinutes(5));
            String first = "GET /ota/download/" + capToken + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-0\r\n\r\n";
            assertThat(a.send(first).read().status()).isEqualTo(206);
            assertThat(capped.registry().get("ota.edge.connections.active").gauge().value()).isEqualTo(1);
            try (RawHttp b = new RawHttp(small.port())) {
                assertThat(b.send(first).read().status()).isEqualTo(503);
            }
            assertThat(capped.registry().get("ota.edge.connections.refused").counter().count()).isEqualTo(1);
            assertThat(capped.registry().get("ota.edge.requests").tags("status", "503", "kind", "error").counter().count())
                    .isEqualTo(1);
        }
    }

    private PrometheusText scrape() {
        return PrometheusText.parse(new String(metrics.scrape(), StandardCharsets.UTF_8));
    }

    /**
     * The scrape once {@code exchanges} responses were completely written: a client can read the
     * last byte a moment before the server's write-completion listener ran.
     */
    private PrometheusText settled(int exchanges) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            PrometheusText t = scrape();
            // Both timers settle on write completions, which may land after the client read its bytes.
            if (t.sum("ota_edge_download_duration_seconds_count") >= exchanges
                    && t.sum("ota_edge_time_to_first_byte_seconds_count") >= exchanges || System.nanoTime() > deadline) {
                return t;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }

    private static double requests(PrometheusText t, String status, String kind) {
        return t.sum("ota_edge_requests_total", Map.of("status", status, "kind", kind));
    }

    private void get(String method, String tok, String range) throws Exception {
        try (RawHttp c = new RawHttp(edge.port())) {
            c.send(method + " /ota/download/" + tok + " HTTP/1.1\r\nHost: x\r\n"
                    + (range == null ? "" : "Range: " + range + "\r\n") + "Connection: close\r\n\r\n");
            c.read("HEAD".equals(method));
        }
    }
}
