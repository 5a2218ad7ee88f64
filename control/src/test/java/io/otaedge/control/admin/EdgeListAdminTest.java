package io.otaedge.control.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.fleet.EdgeRegistry;
import io.otaedge.common.fleet.EdgeStatus;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.RunningControlTest;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /admin/v1/edges}: the edges' own heartbeats in the registry, as an operator reads them (the console's
 * edges screen), and an edge that left is gone.
 */
class EdgeListAdminTest extends RunningControlTest {

    private static JsonNode edge(String id) {
        var r = control.adminGet("/admin/v1/edges");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        for (JsonNode e : ControlHarness.json(r).get("edges")) {
            if (e.get("id").asText().equals(id)) {
                return e;
            }
        }
        return null;
    }

    @Test
    void aBeatingEdgeIsListedWithItsLoad() throws Exception {
        EdgeRegistry registry = new EdgeRegistry(control.redis.async());
        String id = ControlHarness.uniqueId("edge");
        long at = System.currentTimeMillis();
        registry.beat(new EdgeStatus(id, "10.0.0.7:8080", 25, 100, 4096, at), Duration.ofSeconds(30))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);

        JsonNode e = edge(id);
        assertThat(e).isNotNull();
        assertThat(e.get("address").asText()).isEqualTo("10.0.0.7:8080");
        assertThat(e.get("connections").asInt()).isEqualTo(25);
        assertThat(e.get("maxConnections").asInt()).isEqualTo(100);
        assertThat(e.get("load").asDouble()).isEqualTo(0.25);
        assertThat(e.get("bytesPerSecond").asLong()).isEqualTo(4096);
        assertThat(e.get("heartbeatAt").asText()).isEqualTo(Instant.ofEpochMilli(at).toString());

        registry.remove(id).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(edge(id)).isNull();
    }

    @Test
    void theListNeedsTheKey() {
        var r = control.send(java.net.http.HttpRequest.newBuilder(control.admin("/admin/v1/edges")).GET().build());
        AdminApiTest.assertError(r, 401, "unauthorized");
    }
}
