package io.otaedge.common.progress;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.RedisScript;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Download progress in Redis: per task and device bucket, one hash of bytes served per device and one of
 * the highest offset served per device, both in the bucket's hash tag ({@link RedisKeys#bucketTag}), so a
 * product's progress writes spread over the cluster. The edges add to them in batches (one script call
 * per task and bucket touched per flush, never per request); the control service reads a whole task at
 * once (the {@link RedisKeys#DEVICE_BUCKETS} buckets' hashes, sent together).
 */
public final class DownloadProgressStore {

    /** KEYS: bytes hash, end hash (one bucket's). ARGV: triples of device id, bytes to add, highest end seen. */
    private static final RedisScript ADD = new RedisScript("""
            for i = 1, #ARGV, 3 do
              redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
              local cur = tonumber(redis.call('HGET', KEYS[2], ARGV[i]) or '0')
              if tonumber(ARGV[i + 2]) > cur then redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 2]) end
            end
            return #ARGV / 3
            """, ScriptOutputType.INTEGER);

    private final RedisClusterAsyncCommands<String, String> redis;

    public DownloadProgressStore(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** One device's share of a batch. */
    public record Increment(String deviceId, long bytes, long end) {
    }

    /**
     * Adds a batch for one task: one script call per device bucket the batch touches, all sent at once
     * (callers that group by {@link RedisKeys#bucket} make it one call). The highest offset only ever
     * grows. Completes with the number of devices written, or fails when any bucket's call failed (a
     * caller that retries the whole batch adds the bytes of the buckets that succeeded twice; the
     * edge's recorder groups by bucket, so each of its calls succeeds or fails whole).
     */
    public CompletionStage<Long> add(String productId, String taskId, List<Increment> batch) {
        Map<Integer, List<Increment>> byBucket = new TreeMap<>();
        for (Increment inc : batch) {
            byBucket.computeIfAbsent(RedisKeys.bucket(inc.deviceId()), b -> new ArrayList<>()).add(inc);
        }
        List<CompletableFuture<Long>> sent = new ArrayList<>(byBucket.size());
        byBucket.forEach((bucket, incs) -> sent.add(addBucket(productId, taskId, bucket, incs).toCompletableFuture()));
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                .thenApply(done -> sent.stream().mapToLong(CompletableFuture::join).sum());
    }

    private CompletionStage<Long> addBucket(String productId, String taskId, int bucket, List<Increment> batch) {
        String[] args = new String[batch.size() * 3];
        int i = 0;
        for (Increment inc : batch) {
            args[i++] = inc.deviceId();
            args[i++] = Long.toString(inc.bytes());
            args[i++] = Long.toString(inc.end());
        }
        String[] keys = {RedisKeys.taskServedBytes(productId, taskId, bucket), RedisKeys.taskServedEnd(productId, taskId, bucket)};
        return ADD.call(redis, keys, args);
    }

    /** What every device of a task has been served so far; devices never served are absent. */
    public CompletionStage<Map<String, ServedBytes>> forTask(String productId, String taskId) {
        List<CompletableFuture<Map<String, ServedBytes>>> reads = new ArrayList<>(RedisKeys.DEVICE_BUCKETS);
        for (int b = 0; b < RedisKeys.DEVICE_BUCKETS; b++) {
            reads.add(forBucket(productId, taskId, b).toCompletableFuture());
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, ServedBytes> out = new HashMap<>();
            reads.forEach(r -> out.putAll(r.join()));
            return out;
        });
    }

    private CompletionStage<Map<String, ServedBytes>> forBucket(String productId, String taskId, int bucket) {
        return redis.hgetall(RedisKeys.taskServedBytes(productId, taskId, bucket))
                .thenCombine(redis.hgetall(RedisKeys.taskServedEnd(productId, taskId, bucket)), (bytes, ends) -> {
                    Map<String, ServedBytes> out = new HashMap<>(bytes.size() * 2);
                    bytes.forEach((dev, n) -> out.put(dev, new ServedBytes(Long.parseLong(n),
                            Long.parseLong(ends.getOrDefault(dev, "0")))));
                    return out;
                });
    }

    /** What one device has been served for a task ({@link ServedBytes#NONE} when nothing yet). */
    public CompletionStage<ServedBytes> forDevice(String productId, String taskId, String deviceId) {
        int bucket = RedisKeys.bucket(deviceId);
        return redis.hget(RedisKeys.taskServedBytes(productId, taskId, bucket), deviceId)
                .thenCombine(redis.hget(RedisKeys.taskServedEnd(productId, taskId, bucket), deviceId), (n, end) ->
                        n == null ? ServedBytes.NONE : new ServedBytes(Long.parseLong(n), end == null ? 0 : Long.parseLong(end)));
    }
}
