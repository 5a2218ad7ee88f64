package io.otaedge.control.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.testing.RedisCluster;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.redis.ControlKeys;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The device index back-fill on a real Redis Cluster (3 masters, 3 replicas): the SCAN covers every master, so
 * devices stored before the index on each of them are listed after a control start. Slow: six redis processes.
 */
@Tag("slow")
class DeviceIndexBackfillClusterTest {

    private static final int DEVICES = 640;

    @Test
    void devicesOnEveryMasterAreListedAfterAControlStart() {
        try (RedisCluster cluster = RedisCluster.start();
             RedisConnector redis = RedisConnector.connect(cluster.uri())) {
            RedisClusterCommands<String, String> r = redis.sync();
            String pid = ControlHarness.uniqueId("backfill-cluster");
            try (ControlHarness first = new ControlHarness(redis)) {
                first.createProduct(pid);
            }
            Set<Integer> masters = new HashSet<>();
            for (int i = 0; i < DEVICES; i++) {
                String did = "dev-" + i;
                r.hset(RedisKeys.device(pid, did), Map.of("firstSeenAt", "1700000000000", "lastCheckAt", "1700000000000"));
                masters.add(cluster.masterOf(RedisKeys.device(pid, did)).port());
            }
            assertThat(masters).as("the devices live on every master").hasSize(cluster.masters().size());
            r.del(DeviceIndexBackfill.MARKER);

            try (ControlHarness after = new ControlHarness(redis)) {
                assertThat(after.adminList("/admin/v1/products/" + pid + "/devices")).hasSize(DEVICES);
                assertThat(r.get(DeviceIndexBackfill.MARKER)).isEqualTo("v1");
                long entries = 0;
                for (int b = 0; b < RedisKeys.DEVICE_BUCKETS; b++) {
                    entries += r.zcard(ControlKeys.deviceIndex(pid, b));
                }
                assertThat(entries).isEqualTo(DEVICES);
            }
        }
    }
}
