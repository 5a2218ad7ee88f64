package io.otaedge.common.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class RedisProbeTest {

    @Test
    void probeIsHealthyWhileRedisAnswersAndUnhealthyAfterItStops() throws Exception {
        Path dir = Files.createTempDirectory("ota-probe-");
        LocalRedisServer server = LocalRedisServer.start(dir);
        try (RedisConnector redis = RedisConnector.connect(server.uri());
             RedisProbe probe = RedisProbe.start(redis, Duration.ofMillis(100))) {
            await(probe::healthy);
            server.close();
            await(() -> !probe.healthy());
        } finally {
            server.close();
        }
    }

    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
    }
}
