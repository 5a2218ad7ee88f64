package io.otaedge.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.metrics.PrometheusText;
import io.otaedge.common.metrics.ServiceMetrics;
import io.otaedge.common.redis.LocalRedisServer;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.redis.RedisProbe;
import io.otaedge.common.token.TokenStore;
import io.otaedge.edge.admin.AdminConfig;
import io.otaedge.edge.admin.AdminServer;
import io.otaedge.edge.metrics.EdgeMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge's admin port: /metrics in Prometheus text, /health/live, and /health/ready following Redis and the listener. */
class EdgeAdminServerTest {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void readyFlipsTo503WhenRedisStopsAndBackWhenItReturnsWhileLiveStays200() throws Exception {
        Path redisDir = dir.resolve("redis");
        LocalRedisServer redis = LocalRedisServer.start(redisDir);
        int redisPort = redis.port();
        ServiceMetrics metrics = ServiceMetrics.create();
        RedisConnector connector = RedisConnector.connect(redis.uri(), RedisConnector.DEFAULT_COMMAND_TIMEOUT, metrics.registry());
        RedisProbe probe = RedisProbe.start(connector, Duration.ofMillis(100));
        TokenStore tokens = new TokenStore(connector.async());
        EdgeFixture edge = EdgeFixture.start(dir, Map.of(), tokens, tokens::find, new EdgeMetrics(metrics.registry()));
        AdminServer admin = AdminServer.forEdge(new AdminConfig("127.0.0.1", 0), metrics, edge.edge::listening, probe).start();
        try {
            await(() -> status(admin, "/health/ready"), 200);
            assertThat(status(admin, "/health/live")).isEqualTo(200);

            redis.close();
            await(() -> status(admin, "/health/ready"), 503);
            assertThat(status(admin, "/health/live")).isEqualTo(200);

            redis = LocalRedisServer.start(redisDir, redisPort);
            await(() -> status(admin, "/health/ready"), 200);

            edge.close();
            assertThat(status(admin, "/health/ready")).as("a draining edge is not ready").isEqualTo(503);
            assertThat(status(admin, "/health/live")).isEqualTo(200);
        } finally {
            admin.close();
            edge.close();
            probe.close();
            connector.close();
            redis.close();
            metrics.close();
        }
    }

    @Test
    void metricsAnswersPrometheusTextWithTheEdgeAndStandardMeters() throws Exception {
        ServiceMetrics metrics = ServiceMetrics.create();
        TokenStore tokens = new TokenStore(io.otaedge.common.redis.TestRedis.connector().async());
        EdgeMetrics edgeMetrics = new EdgeMetrics(metrics.registry());
        EdgeFixture edge = EdgeFixture.start(dir, Map.of(), tokens, tokens::find, edgeMetrics);
        edgeMetrics.up("edge-a");
        AdminServer admin = new AdminServer(new AdminConfig("127.0.0.1", 0), metrics, () -> true).start();
        try {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(uri(admin, "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            PrometheusText t = PrometheusText.parse(res.body());
            assertThat(t.sum("ota_edge_up", Map.of("edge", "edge-a"))).isEqualTo(1);
            assertThat(t.has("ota_edge_connections_active")).isTrue();
            assertThat(t.has("ota_edge_connections_refused_total")).isTrue();
            assertThat(t.has("jvm_memory_used_bytes")).isTrue();
            assertThat(status(admin, "/nope")).isEqualTo(404);
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri(admin, "/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            edge.close();
            assertThat(PrometheusText.parse(http.send(HttpRequest.newBuilder(uri(admin, "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).sum("ota_edge_up")).as("down after close").isZero();
        } finally {
            admin.close();
            edge.close();
            metrics.close();
        }
    }

    private static URI uri(AdminServer admin, String path) {
        return URI.create("http://127.0.0.1:" + admin.port() + path);
    }

    private static int status(AdminServer admin, String path) {
        try {
            return http.send(HttpRequest.newBuilder(uri(admin, path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(IntSupplier status, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int last;
        while ((last = status.getAsInt()) != expected && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
        assertThat(last).isEqualTo(expected);
    }
}
