package io.otaedge.control.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.otaedge.common.redis.LocalRedisServer;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import io.otaedge.control.redis.ControlKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Devices stored before the per-bucket device index (their hash in the bucket's tag, no entry in
 * {@code ota:{p:<pid>:<b>}:devices}: as DeviceRepository's RECORD script wrote them before the index) are listed by
 * {@code GET /admin/v1/products/{p}/devices} after a control start; their task histories are not taken for devices;
 * a second run changes nothing; two controls starting together run it once; a device whose hash is gone gets no
 * entry. Its own Redis, so the marker is this test's alone.
 */
class DeviceIndexBackfillTest {

    /** More than one SCAN page (1,000) and one listing chunk (500). */
    private static final int DEVICES = 1_500;

    @TempDir
    Path dir;

    /** A product with {@link #DEVICES} devices in the shape before the index, a history for every tenth. */
    private static String productWithUnindexedDevices(RedisConnector redis) {
        String pid = ControlHarness.uniqueId("backfill");
        try (ControlHarness h = new ControlHarness(redis)) {
            h.createProduct(pid);
        }
        RedisClusterCommands<String, String> r = redis.sync();
        for (int i = 0; i < DEVICES; i++) {
            String did = "dev-" + i;
            r.hset(RedisKeys.device(pid, did), Map.of("firstSeenAt", "1700000000000", "lastCheckAt",
                    Long.toString(1_700_000_000_000L + i), "fotaVersion", "1.0"));
            if (i % 10 == 0) {
                r.hset(ControlKeys.deviceTasks(pid, did), "t-old", "1|default|2.0");
            }
        }
        return pid;
    }

    private static Set<String> indexed(RedisClusterCommands<String, String> r, String pid) {
        Set<String> ids = new HashSet<>();
        for (int b = 0; b < RedisKeys.DEVICE_BUCKETS; b++) {
            r.zrangeWithScores(ControlKeys.deviceIndex(pid, b), 0, -1).forEach(e -> {
                assertThat(e.getScore()).as("the listing orders by id: every score 0").isZero();
                ids.add(e.getValue());
            });
        }
        return ids;
    }

    @Test
    void devicesStoredBeforeTheIndexAreListedAfterAControlStartAndASecondRunChangesNothing() {
        try (LocalRedisServer server = LocalRedisServer.start(dir.resolve("redis"));
             RedisConnector redis = RedisConnector.connect(server.uri())) {
            RedisClusterCommands<String, String> r = redis.sync();
            String pid = productWithUnindexedDevices(redis);
            assertThat(r.get(DeviceIndexBackfill.MARKER)).as("a fresh Redis is marked at the first start").isEqualTo("v1");
            assertThat(indexed(r, pid)).isEmpty();
            r.del(DeviceIndexBackfill.MARKER);

            try (ControlHarness after = new ControlHarness(redis)) {
                assertThat(r.get(DeviceIndexBackfill.MARKER)).isEqualTo("v1");
                List<String> listed = new ArrayList<>();
                after.adminList("/admin/v1/products/" + pid + "/devices").forEach(d -> listed.add(d.get("deviceId").asText()));
                assertThat(listed).hasSize(DEVICES).doesNotHaveDuplicates().allMatch(d -> d.matches("dev-\\d+"));
                JsonNode one = after.adminList("/admin/v1/products/" + pid + "/devices?lastSeenAfter=2023-11-14T22:13:21.499Z")
                        .get(0);
                assertThat(one.get("deviceId").asText()).isEqualTo("dev-1499");
                assertThat(one.get("fotaVersion").asText()).isEqualTo("1.0");

                Set<String> before = indexed(r, pid);
                DeviceIndexBackfill.Result again = new DeviceIndexBackfill(redis).backfill(new MigrationLock(r, "test"));
                assertThat(again.added()).as("a second run adds nothing").isZero();
                assertThat(again.examined()).isGreaterThanOrEqualTo(DEVICES);
                assertThat(indexed(r, pid)).isEqualTo(before);
                assertThat(NonBlockingCheck.violations()).isEmpty();
            }
        }
    }

    @Test
    void twoControlsStartingTogetherBackFillOnceAndBothStartOnlyOnceItIsDone() throws Exception {
        try (LocalRedisServer server = LocalRedisServer.start(dir.resolve("redis"));
             RedisConnector redis = RedisConnector.connect(server.uri())) {
            RedisClusterCommands<String, String> r = redis.sync();
            String pid = productWithUnindexedDevices(redis);
            r.del(DeviceIndexBackfill.MARKER);
            CyclicBarrier together = new CyclicBarrier(2);
            ExecutorService two = Executors.newFixedThreadPool(2);
            try {
                List<CompletableFuture<Boolean>> runs = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    runs.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            together.await(10, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        boolean ran = new DeviceIndexBackfill(redis).backfillIfNeeded();
                        // Whoever returns, the back-fill is complete: a waiter returns only once the marker is set.
                        assertThat(r.get(DeviceIndexBackfill.MARKER)).isEqualTo("v1");
                        assertThat(indexed(r, pid)).hasSize(DEVICES);
                        return ran;
                    }, two));
                }
                List<Boolean> ran = new ArrayList<>();
                for (CompletableFuture<Boolean> run : runs) {
                    ran.add(run.get(60, TimeUnit.SECONDS));
                }
                assertThat(ran).as("exactly one of the two ran it").containsExactlyInAnyOrder(true, false);
                assertThat(r.exists(MigrationLock.KEY)).as("the lock is released").isZero();
            } finally {
                two.shutdownNow();
            }
        }
    }

    @Test
    void aDeviceWhoseHashIsGoneGetsNoEntryAndAnExistingEntryIsLeftAsItIs() {
        try (LocalRedisServer server = LocalRedisServer.start(dir.resolve("redis"));
             RedisConnector redis = RedisConnector.connect(server.uri())) {
            RedisClusterCommands<String, String> r = redis.sync();
            String pid = ControlHarness.uniqueId("backfill-gone");
            r.hset(RedisKeys.device(pid, "kept"), "lastCheckAt", "1700000000000");
            r.zadd(ControlKeys.deviceIndex(pid, RedisKeys.bucket("kept")), 0, "kept");
            // Found by the scan, then removed (a product deleted meanwhile): the script sees the hash is gone.
            r.hset(RedisKeys.device(pid, "gone"), "lastCheckAt", "1700000000000");
            DeviceHashKey gone = DeviceHashKey.parse(RedisKeys.device(pid, "gone"));
            r.del(RedisKeys.device(pid, "gone"));
            RedisClusterCommands<String, String> sync = redis.sync();
            DeviceIndexBackfill.Result result = new DeviceIndexBackfill(redis).backfill(new MigrationLock(sync, "test"));
            assertThat(result.added()).as("kept was indexed already").isZero();
            assertThat(gone).isNotNull();
            assertThat(r.zscore(ControlKeys.deviceIndex(pid, RedisKeys.bucket("gone")), "gone")).isNull();
            assertThat(r.zscore(ControlKeys.deviceIndex(pid, RedisKeys.bucket("kept")), "kept")).isZero();
        }
    }

    @Test
    void aHistoryKeyIsNeverTakenForADevice() {
        String pid = "p1";
        assertThat(DeviceHashKey.parse(RedisKeys.device(pid, "dev-7"))).isEqualTo(new DeviceHashKey(
                RedisKeys.device(pid, "dev-7"), pid, RedisKeys.bucket("dev-7"), "dev-7", null));
        assertThat(DeviceHashKey.parse("ota:{p:p1}:dev:dev-7")).as("the old layout's product tag").isNull();
        assertThat(DeviceHashKey.parse("ota:{p:p1:x}:dev:dev-7")).isNull();
        int found = 0;
        for (int i = 0; i < 2_000; i++) {
            String history = ControlKeys.deviceTasks(pid, "d" + i);
            DeviceHashKey k = DeviceHashKey.parse(history);
            if (k != null) {
                // Only where "d<i>:tasks" could be a device of the same bucket; then Redis decides by d<i>'s hash.
                assertThat(k.historyOf()).isEqualTo("d" + i);
                found++;
            }
        }
        assertThat(found).as("about 1 in 64 histories is ambiguous by name alone").isBetween(5, 80);
    }
}
