package io.otaedge.common.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.testing.Await;
import io.otaedge.common.testing.RedisCluster;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@link RedisConnector} on a real 3-master, 3-replica cluster ({@link RedisCluster}), through the
 * {@code redis-cluster://} URI the services read from {@code OTA_REDIS_URI}. The failover test runs last:
 * it leaves the cluster with a promoted replica.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterConnectorTest {

    private static final RedisScript SET_BOTH = new RedisScript("""
            redis.call('SET', KEYS[1], ARGV[1])
            redis.call('SET', KEYS[2], ARGV[1])
            return redis.call('GET', KEYS[2])
            """, ScriptOutputType.VALUE);

    private static RedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void writesAndReadsKeysOfEverySlotRangeAndScriptsWithinOneTag() throws Exception {
        try (RedisConnector redis = RedisConnector.connect(cluster.uri())) {
            assertThat(redis.cluster()).isTrue();
            RedisClusterAsyncCommands<String, String> r = redis.async();
            Set<Integer> masters = new HashSet<>();
            for (int i = 0; i < 64; i++) {
                String key = "ota:tok:{" + UUID.randomUUID() + "}";
                r.psetex(key, 60_000, "v" + i).get(5, TimeUnit.SECONDS);
                assertThat(r.get(key).get(5, TimeUnit.SECONDS)).isEqualTo("v" + i);
                masters.add(cluster.masterOf(key).port());
            }
            assertThat(masters).as("keys spread over every master").hasSize(3);

            String tag = RedisKeys.productTag("p-" + UUID.randomUUID());
            String[] keys = {tag + ":a", tag + ":b"};
            assertThat(SlotHash.getSlot(keys[0])).isEqualTo(SlotHash.getSlot(keys[1]));
            assertThat(SET_BOTH.<String>call(r, keys, "x").toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("x");
        }
    }

    @Test
    @Order(2)
    void theProbeIsHealthyOnAClusterWhoseEverySlotIsServed() {
        try (RedisConnector redis = RedisConnector.connect(cluster.uri());
             RedisProbe probe = RedisProbe.start(redis, Duration.ofMillis(100))) {
            Await.until(Duration.ofSeconds(10), probe::healthy, "CLUSTER INFO cluster_state:ok through the connection");
        }
    }

    @Test
    @Order(3)
    void writesWorkAgainAfterAKilledMastersReplicaIsPromoted() throws Exception {
        try (RedisConnector redis = RedisConnector.connect(cluster.uri())) {
            RedisClusterAsyncCommands<String, String> r = redis.async();
            String tag = RedisKeys.productTag("p-" + UUID.randomUUID());
            String[] keys = {tag + ":a", tag + ":b"};
            assertThat(SET_BOTH.<String>call(r, keys, "before").toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("before");
            RedisCluster.Node master = cluster.masterOf(keys[0]);
            awaitReplicated(master, keys[0], "before");

            RedisCluster.Node killed = cluster.kill9MasterOf(keys[0]);
            long killedAt = System.nanoTime();
            // Through the script runner: the promoted replica's script cache is empty, so this is EVALSHA, NOSCRIPT, EVAL.
            Await.until(Duration.ofSeconds(30), () -> {
                try {
                    return "after".equals(SET_BOTH.<String>call(r, keys, "after").toCompletableFuture().get(2, TimeUnit.SECONDS));
                } catch (Exception e) {
                    return false;
                }
            }, "a write to the killed master's slot to succeed");
            long pauseMs = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.printf("Redis Cluster failover: writes to the killed master's slots paused %d ms "
                    + "(cluster-node-timeout %d ms)%n", pauseMs, RedisCluster.DEFAULT_NODE_TIMEOUT.toMillis());

            RedisCluster.Node promoted = cluster.masterOf(keys[0]);
            assertThat(promoted.port()).isNotEqualTo(killed.port());
            assertThat(r.get(keys[1]).get(5, TimeUnit.SECONDS)).isEqualTo("after");
            assertThat(pauseMs).as("failover pause").isLessThan(20_000);
        }
    }

    /** Waits until some replica holds {@code value} under {@code key} (replication is asynchronous). */
    private static void awaitReplicated(RedisCluster.Node master, String key, String value) {
        RedisClient client = RedisClient.create();
        try {
            Await.until(Duration.ofSeconds(10), () -> cluster.nodes().stream()
                    .filter(n -> n.port() != master.port() && n.alive())
                    .anyMatch(n -> {
                        try (StatefulRedisConnection<String, String> c = client.connect(RedisURI.create("127.0.0.1", n.port()))) {
                            c.sync().readOnly();
                            return value.equals(c.sync().get(key));
                        } catch (RuntimeException e) {
                            return false; // MOVED: not this master's replica
                        }
                    }), "the write to reach a replica");
        } finally {
            client.shutdown();
        }
    }
}
