package io.otaedge.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.fleet.EdgeRegistry;
import io.otaedge.common.fleet.EdgeStatus;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone's edge registers itself with its own address, and what it serves shows up in the
 * task's progress: DOWNLOADING, with the bytes served and a percentage.
 */
class FleetEndToEndTest {

    @TempDir
    Path dataDir;

    @Test
    void theEdgeIsRegisteredAndItsBytesShowInTheTaskProgress() throws Exception {
        try (Standalone system = Standalone.start(StandaloneEndToEndTest.settings(dataDir,
                "OTA_EDGE_PROGRESS_FLUSH", "PT0.2S"));
             RedisConnector redis = RedisConnector.connect(system.redisUri())) {
            EdgeRegistry registry = new EdgeRegistry(redis.async());
            List<EdgeStatus> edges = Await.until(Duration.ofSeconds(10), () -> registry.live().toCompletableFuture().join(),
                    l -> !l.isEmpty(), "the edge's first heartbeat");
            assertThat(edges).extracting(EdgeStatus::address).containsExactly(system.edgePublicAddress());

            OtaTestClient client = new OtaTestClient(system);
            client.createProduct("fleet");
            byte[] firmware = new byte[100_000];
            JsonNode fw = client.uploadFirmware("fleet", "2.0.0", "fw.bin", firmware);
            String taskId = client.createTask("fleet", fw.get("id").asText());
            JsonNode check = client.oneNetCheck(client.oneNetAuthorization("fleet"), 42, "1.0");
            String token = check.get("data").get("token").asText();

            assertThat(client.get(client.download(token), "Range", "bytes=0-24999").statusCode()).isEqualTo(206);
            JsonNode device = Await.until(Duration.ofSeconds(10), () -> progressRow(client, taskId),
                    d -> d.get("servedBytes").asLong() == 25_000, "the edge's count in the task progress");
            assertThat(device.get("state").asText()).isEqualTo("DOWNLOADING");
            assertThat(device.get("downloadPercent").asInt()).isEqualTo(25);
        }
    }

    private static JsonNode progressRow(OtaTestClient client, String taskId) {
        try {
            JsonNode p = Json.mapper().readTree(client.adminGet("/admin/v1/tasks/" + taskId + "/progress").body());
            return p.get("devices").get(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
