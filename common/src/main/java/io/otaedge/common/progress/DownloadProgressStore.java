package io.otaedge.common.progress;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.RedisScript;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Download progress in Redis: per task, one hash of bytes served per device and one of the highest
 * offset served per device, both in the product's hash tag. The edges add to them in batches (one
 * script call per task per flush, never per request); the control service reads a whole task at once.
 */
public final class DownloadProgressStore {

    /** KEYS: bytes hash, end hash. ARGV: triples of device id, bytes to add, highest end seen. */
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

    /** Adds a batch for one task in one Redis call; the highest offset only ever grows. */
    public CompletionStage<Long> add(String productId, String taskId, List<Increment> batch) {
        String[] args = new String[batch.size() * 3];
        int i = 0;
        for (Increment inc : batch) {
            args[i++] = inc.deviceId();
            args[i++] = Long.toString(inc.bytes());
            args[i++] = Long.toString(inc.end());
        }
        String[] keys = {RedisKeys.taskServedBytes(productId, taskId), RedisKeys.taskServedEnd(productId, taskId)};
        return ADD.call(redis, keys, args);
    }

    /** What every device of a task has been served so far; devices never served are absent. */
    public CompletionStage<Map<String, ServedBytes>> forTask(String productId, String taskId) {
        return redis.hgetall(RedisKeys.taskServedBytes(productId, taskId))
                .thenCombine(redis.hgetall(RedisKeys.taskServedEnd(productId, taskId)), (bytes, ends) -> {
                    Map<String, ServedBytes> out = new HashMap<>(bytes.size() * 2);
                    bytes.forEach((dev, n) -> out.put(dev, new ServedBytes(Long.parseLong(n),
                            Long.parseLong(ends.getOrDefault(dev, "0")))));
                    return out;
                });
    }

    /** What one device has been served for a task ({@link ServedBytes#NONE} when nothing yet). */
    public CompletionStage<ServedBytes> forDevice(String productId, String taskId, String deviceId) {
        return redis.hget(RedisKeys.taskServedBytes(productId, taskId), deviceId)
                .thenCombine(redis.hget(RedisKeys.taskServedEnd(productId, taskId), deviceId), (n, end) ->
                        n == null ? ServedBytes.NONE : new ServedBytes(Long.parseLong(n), end == null ? 0 : Long.parseLong(end)));
    }
}
