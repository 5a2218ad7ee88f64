package io.otaedge.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.blob.BlobInfo;
import io.otaedge.common.fleet.EdgeRegistry;
import io.otaedge.common.fleet.EdgeStatus;
import io.otaedge.common.redis.TestRedis;
import io.otaedge.common.testing.Await;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An edge with a public address keeps itself in the edge registry with its load, and leaves it on stop. */
class EdgeHeartbeatTest {

    @TempDir
    Path dir;

    private final EdgeRegistry registry = new EdgeRegistry(TestRedis.connector().async());

    private Optional<EdgeStatus> entry(String address) {
        return registry.live().toCompletableFuture().join().stream().filter(e -> e.address().equals(address)).findFirst();
    }

    @Test
    void theEdgeRegistersWithItsAddressAndLoadAndLeavesOnStop() throws Exception {
        String address = "edge-" + UUID.randomUUID().toString().substring(0, 8) + ".example:8080";
        EdgeFixture edge = EdgeFixture.start(dir, Map.of("OTA_EDGE_PUBLIC_ADDRESS", address, "OTA_EDGE_HEARTBEAT", "PT0.1S",
                "OTA_EDGE_MAX_CONNECTIONS", "500"));
        try {
            EdgeStatus first = Await.until(Duration.ofSeconds(10), () -> entry(address), Optional::isPresent, "registered").get();
            assertThat(first.maxConnections()).isEqualTo(500);

            BlobInfo blob = edge.storeBlob(EdgeFixture.randomBytes(256 * 1024, 1));
            String token = edge.grant(blob, "fw.bin", Duration.ofMinutes(1));
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(edge.uri("/ota/download/" + token)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            Await.until(Duration.ofSeconds(10), () -> entry(address),
                    e -> e.isPresent() && e.get().bytesPerSecond() > 0, "a byte rate reported");

            try (Socket held = new Socket("127.0.0.1", edge.port())) {
                Await.until(Duration.ofSeconds(10), () -> entry(address),
                        e -> e.isPresent() && e.get().connections() >= 1, "the open connection reported");
            }
        } finally {
            edge.close();
        }
        assertThat(entry(address)).as("deregistered at once on a graceful stop").isEmpty();
    }
}
