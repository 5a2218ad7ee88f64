package io.otaedge.common.redis;

import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.protocol.ConnectionIntent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Waits after a write that must outlive a failover until a replica of each master confirms it ({@code WAIT 1}).
 * Replication is asynchronous: a master killed before its replica copied an acknowledged write loses that write
 * when the replica is promoted. {@code WAIT} counts the writes of the connection it arrives on, so it is sent on
 * each master's own connection, the one Lettuce routes that master's slots through (by host and port, with write
 * intent); through the cluster connection a keyless command goes to whichever node Lettuce picks. A write may
 * touch several masters (a product's keys and the global product set), so every master is asked, at once; a master
 * this connection did not write to answers at once.
 *
 * <p>{@code WAIT} blocks its connection, and every command pipelined behind it, until a replica answers or
 * {@link #TIMEOUT} passes. A master the topology shows without a live replica (just after a failover) is therefore
 * not asked: it answers 0 replicas at once instead of stalling that master's device traffic for the timeout. On one
 * Redis node there is no replica to wait for, and nothing is sent.
 */
public final class ReplicaAck {

    /** A live replica confirms within a millisecond on a LAN; past this the write stays unconfirmed, not failed. */
    public static final Duration TIMEOUT = Duration.ofMillis(500);

    private final RedisConnector redis;

    public ReplicaAck(RedisConnector redis) {
        this.redis = redis;
    }

    /**
     * The fewest replicas that confirmed this connection's writes on any master (0 when one had no live replica,
     * did not answer in time or failed); empty on one node.
     */
    @SuppressWarnings("unchecked")
    public CompletionStage<OptionalInt> await() {
        if (!redis.cluster()) {
            return CompletableFuture.completedFuture(OptionalInt.empty());
        }
        StatefulRedisClusterConnection<String, String> c = (StatefulRedisClusterConnection<String, String>) redis.connection();
        Partitions partitions = c.getPartitions();
        List<CompletableFuture<Long>> answers = new ArrayList<>();
        for (RedisClusterNode node : partitions) {
            if (!node.is(RedisClusterNode.NodeFlag.UPSTREAM) || node.getSlots().isEmpty()) {
                continue;
            }
            if (!hasLiveReplica(partitions, node)) {
                answers.add(CompletableFuture.completedFuture(0L));
                continue;
            }
            answers.add(c.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort(), ConnectionIntent.WRITE)
                    .thenCompose(master -> master.async().waitForReplication(1, TIMEOUT.toMillis()).toCompletableFuture())
                    .exceptionally(e -> 0L));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> OptionalInt.of(
                (int) answers.stream().mapToLong(CompletableFuture::join).min().orElse(0)));
    }

    private static boolean hasLiveReplica(Partitions partitions, RedisClusterNode master) {
        for (RedisClusterNode n : partitions) {
            if (master.getNodeId().equals(n.getSlaveOf()) && !n.is(RedisClusterNode.NodeFlag.FAIL)
                    && !n.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL) && !n.is(RedisClusterNode.NodeFlag.NOADDR)) {
                return true;
            }
        }
        return false;
    }
}
