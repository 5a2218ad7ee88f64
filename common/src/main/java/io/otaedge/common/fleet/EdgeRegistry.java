package io.otaedge.common.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.Range;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The live download edges, in Redis. Each edge writes its {@link EdgeStatus} under its own key with
 * a TTL a few heartbeats long, so an edge that dies drops out by itself; a sorted set lists the ids
 * (one key per edge keeps every write in one slot on a Redis Cluster). Ids whose status has expired
 * are skipped by readers and pruned from the set by the edges' heartbeats.
 */
public final class EdgeRegistry {

    /** Set members older than this are pruned: far longer than any sane heartbeat TTL. */
    private static final long PRUNE_AFTER_MS = Duration.ofMinutes(10).toMillis();

    private final RedisClusterAsyncCommands<String, String> redis;

    public EdgeRegistry(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** Publishes a heartbeat that lives for {@code ttl} unless renewed. */
    public CompletionStage<Void> beat(EdgeStatus status, Duration ttl) {
        CompletableFuture<String> set = redis.psetex(RedisKeys.edge(status.id()), ttl.toMillis(), Json.string(status))
                .toCompletableFuture();
        CompletableFuture<Long> listed = redis.zadd(RedisKeys.edges(), (double) status.at(), status.id()).toCompletableFuture();
        CompletableFuture<Long> pruned = redis.zremrangebyscore(RedisKeys.edges(),
                Range.create(Double.NEGATIVE_INFINITY, (double) (status.at() - PRUNE_AFTER_MS))).toCompletableFuture();
        return CompletableFuture.allOf(set, listed, pruned);
    }

    /** Takes an edge out at once (graceful shutdown). */
    public CompletionStage<Void> remove(String id) {
        return CompletableFuture.allOf(redis.del(RedisKeys.edge(id)).toCompletableFuture(),
                redis.zrem(RedisKeys.edges(), id).toCompletableFuture());
    }

    /** Every edge whose heartbeat has not expired. */
    public CompletionStage<List<EdgeStatus>> live() {
        return redis.zrange(RedisKeys.edges(), 0, -1).thenCompose(ids -> {
            List<CompletableFuture<String>> gets = new ArrayList<>(ids.size());
            ids.forEach(id -> gets.add(redis.get(RedisKeys.edge(id)).toCompletableFuture()));
            return CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new)).thenApply(done -> {
                List<EdgeStatus> out = new ArrayList<>(gets.size());
                gets.forEach(g -> {
                    String json = g.join();
                    if (json != null) {
                        out.add(decode(json));
                    }
                });
                return out;
            });
        });
    }

    private static EdgeStatus decode(String json) {
        try {
            return Json.mapper().readValue(json, EdgeStatus.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt edge heartbeat in Redis", e);
        }
    }
}
