package io.otaedge.control.dialect.onenet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.redis.LocalRedisServer;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** errno 7: the store fails under a check. Uses a Redis of its own, so stopping it disturbs no other test. */
class OneNetInternalErrorTest {

    @Test
    void errno7WhenRedisFailsDuringACheck() throws Exception {
        LocalRedisServer redisServer = LocalRedisServer.start(Files.createTempDirectory("ota-errno7-"));
        RedisConnector redis = RedisConnector.connect(redisServer.uri(), Duration.ofSeconds(1));
        try (ControlHarness control = new ControlHarness(redis)) {
            String key = control.createProduct("p7");
            String firmwareId = control.uploadFirmware("p7", "2.0", new byte[] {1, 2}).get("id").asText();
            control.createTask("p7", "{\"firmwareId\":\"" + firmwareId + "\"}");
            String auth = ControlHarness.authorization(key, "p7");
            assertThat(control.checkJson(auth, ControlHarness.seedBody(1, "1.0")).get("errno").asInt()).isZero();

            redisServer.close();

            JsonNode reply = control.checkJson(auth, ControlHarness.seedBody(1, "1.0"));
            assertThat(reply.get("errno").asInt()).isEqualTo(7);
            assertThat(reply.get("error").asText()).isNotBlank().doesNotContain("Exception");
            assertThat(reply.get("data").size()).isZero();

            // The admin API answers 503 with its JSON error, not a stack trace.
            var admin = control.adminGet("/admin/v1/products/p7");
            assertThat(admin.statusCode()).isEqualTo(503);
            assertThat(ControlHarness.json(admin).get("error").asText()).isEqualTo("store_unavailable");
        } finally {
            redis.close();
            redisServer.close();
        }
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }
}
