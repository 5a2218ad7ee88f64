package io.otaedge.control.progress;

import io.lettuce.core.KeyValue;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.redis.ControlKeys;
import io.otaedge.control.task.UpgradeTask;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A task's counters summed over its device buckets: one HMGET per bucket, all sent at once (mergeSequential
 * subscribes to every one), so the 64 share the connection's pipeline. What the stage and abort judges read.
 */
final class BucketSums {

    private BucketSums() {
    }

    /** The sum of each of {@code fields} over the task's buckets, in the order asked (absent = 0). */
    static Mono<long[]> of(RedisClusterAsyncCommands<String, String> redis, UpgradeTask task, String... fields) {
        List<Mono<List<KeyValue<String, String>>>> reads = new ArrayList<>(RedisKeys.DEVICE_BUCKETS);
        for (int b = 0; b < RedisKeys.DEVICE_BUCKETS; b++) {
            String key = ControlKeys.taskStats(task.productId(), task.id(), b);
            reads.add(Mono.fromCompletionStage(() -> redis.hmget(key, fields)));
        }
        return Flux.mergeSequential(reads, RedisKeys.DEVICE_BUCKETS, 1).reduce(new long[fields.length], (sum, kvs) -> {
            for (int i = 0; i < kvs.size(); i++) {
                sum[i] += kvs.get(i).hasValue() ? Long.parseLong(kvs.get(i).getValue()) : 0;
            }
            return sum;
        });
    }
}
