package io.otaedge.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A token lives exactly as long as OTA_TOKEN_TTL says: Redis expires it, nothing else has to. */
class TokenExpiryEndToEndTest {

    @TempDir
    Path dataDir;

    @Test
    void aTokenWithATwoSecondTtlStopsWorkingAfterItExpires() throws Exception {
        try (Standalone system = Standalone.start(StandaloneEndToEndTest.settings(dataDir, "OTA_TOKEN_TTL", "PT2S"))) {
            OtaTestClient client = new OtaTestClient(system);
            byte[] firmware = new byte[10_000];
            new Random(7).nextBytes(firmware);
            client.createProduct("ttl");
            JsonNode fw = client.uploadFirmware("ttl", "2.0.0", "fw.bin", firmware);
            client.createTask("ttl", fw.get("id").asText());
            JsonNode check = client.oneNetCheck(client.oneNetAuthorization("ttl"), 1, "1.0");
            String token = check.get("data").get("token").asText();
            long issued = System.nanoTime();

            assertThat(client.get(client.download(token)).statusCode()).isEqualTo(200);

            // Poll until the edge refuses the token; it must happen after ~2 s, and within a bound.
            int status = 200;
            while (status == 200 && System.nanoTime() - issued < Duration.ofSeconds(10).toNanos()) {
                status = client.get(client.download(token)).statusCode();
            }
            long elapsedMs = Duration.ofNanos(System.nanoTime() - issued).toMillis();
            assertThat(status).isEqualTo(404);
            assertThat(elapsedMs).isGreaterThanOrEqualTo(1_500);

            // The device checks again and gets a fresh token that works.
            JsonNode again = client.oneNetCheck(client.oneNetAuthorization("ttl"), 1, "1.0");
            String fresh = again.get("data").get("token").asText();
            assertThat(fresh).isNotEqualTo(token);
            assertThat(client.get(client.download(fresh)).body()).isEqualTo(firmware);
        }
    }
}
