package io.otaedge.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.config.Settings;
import io.otaedge.common.fleet.EdgeRegistry;
import io.otaedge.common.fleet.EdgeStatus;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.testing.Await;
import io.otaedge.edge.EdgeConfig;
import io.otaedge.edge.EdgeDependencies;
import io.otaedge.edge.EdgeServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet parts end to end: the standalone's edge registers itself with its own address, what it
 * serves shows up in the task's progress (DOWNLOADING, bytes served, a percentage), and an edge on
 * another disk pulls blobs from the control service's internal endpoint.
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

    @Test
    void anEdgeWithItsOwnEmptyDiskPullsTheBlobFromTheControlService() throws Exception {
        try (Standalone system = Standalone.start(StandaloneEndToEndTest.settings(dataDir, "OTA_INTERNAL_SECRET", "fleet-secret-0123456789"));
             RedisConnector redis = RedisConnector.connect(system.redisUri())) {
            OtaTestClient client = new OtaTestClient(system);
            client.createProduct("pull");
            byte[] firmware = new byte[500_000];
            new Random(3).nextBytes(firmware);
            JsonNode fw = client.uploadFirmware("pull", "2.0.0", "fw.bin", firmware);
            client.createTask("pull", fw.get("id").asText());
            String token = client.oneNetCheck(client.oneNetAuthorization("pull"), 7, "1.0").get("data").get("token").asText();

            BlobStore ownDisk = new BlobStore(dataDir.resolve("second-edge-blobs"));
            EdgeConfig config = EdgeConfig.from(Settings.from(Map.of("OTA_EDGE_BIND", "127.0.0.1", "OTA_EDGE_PORT", "0",
                    "OTA_EDGE_ORIGIN_URL", "http://127.0.0.1:" + system.adminPort(), "OTA_INTERNAL_SECRET", "fleet-secret-0123456789")));
            try (EdgeServer second = new EdgeServer(config, EdgeDependencies.redis(redis, ownDisk).build()).start()) {
                HttpResponse<byte[]> r = client.get("http://127.0.0.1:" + second.port() + "/ota/download/" + token);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo(firmware);
                assertThat(ownDisk.contains(fw.get("sha256").asText())).isTrue();
            }
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
