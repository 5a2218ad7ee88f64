package io.otaedge.control.dialect.xiaozhi;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.redis.LocalRedisServer;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The seed's 500: the store fails under an OTA request. A Redis of its own, so stopping it disturbs no other test. */
class XiaozhiStoreFailureTest {

    @Test
    void storeFailureIs500WithTheSeedsErrorBody() throws Exception {
        LocalRedisServer redisServer = LocalRedisServer.start(Files.createTempDirectory("ota-xz500-"));
        RedisConnector redis = RedisConnector.connect(redisServer.uri(), Duration.ofSeconds(1));
        try (ControlHarness control = new ControlHarness(redis)) {
            control.createProduct("esp-box-3");
            HttpRequest request = XiaozhiOtaTest.seedHeaders(control.device("/v1/ota/"), "D4:06:06:B6:A9:FB")
                    .POST(HttpRequest.BodyPublishers.ofString(XiaozhiOtaTest.SEED_BODY)).build();
            assertThat(control.send(request).statusCode()).isEqualTo(200);

            redisServer.close();

            HttpResponse<String> r = control.send(request);
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).isEqualTo("{\"error\":\"Failed to read device auto_update status\"}");
        } finally {
            redis.close();
            redisServer.close();
        }
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }
}
