package io.otaedge.common.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
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

    /** Issue 13: readiness used to lag a killed Redis by ~3 s (three PING intervals) and a restarted one by 3-4 s. */
    @Test
    void killedRedisIsUnhealthyAtOnceAndARestartedOneHealthyWithinASecond() throws Exception {
        Path dir = Files.createTempDirectory("ota-probe-");
        LocalRedisServer server = LocalRedisServer.start(dir);
        int port = server.port();
        try (RedisConnector redis = RedisConnector.connect(server.uri());
             RedisProbe probe = RedisProbe.start(redis, RedisProbe.DEFAULT_INTERVAL)) {
            Await.until(Duration.ofSeconds(10), probe::healthy, "first PING answered");
            ProcessHandle.of(server.pid()).orElseThrow().destroyForcibly();
            long killed = System.nanoTime();
            Await.until(Duration.ofMillis(500), () -> !probe.healthy(), "unready within 500 ms of the kill");
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofMillis(500));
            ProcessHandle.of(server.pid()).ifPresent(p -> p.onExit().join());
            server.close(); // releases the data directory of the dead server
            // The outage lasts long enough for Lettuce's default backoff (doubling up to 30 s) to pass a second.
            LockSupport.parkNanos(Duration.ofSeconds(3).toNanos());
            server = LocalRedisServer.start(dir, port);
            long back = System.nanoTime();
            Await.until(Duration.ofSeconds(1), probe::healthy, "ready within 1 s of Redis answering again");
            assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(Duration.ofSeconds(1));
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
