package io.otaedge.control.migration;

import static io.otaedge.control.migration.MigrationCalls.join;
import static io.otaedge.control.migration.MigrationCalls.pairs;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.RedisScript;
import io.otaedge.control.redis.ControlKeys;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Each bucket's counters of a task, recomputed from the rows the bucket holds. The counters are a function of
 * the rows (state counts, stage enrolment, stage outcomes), so a migration re-run after a crash converges.
 */
final class BucketRecount {

    /** KEYS: a bucket's counters of a task. ARGV: field/value pairs. Replaces them. */
    private static final RedisScript RESET = new RedisScript("""
            redis.call('DEL', KEYS[1])
            for i = 1, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
            return 1
            """, ScriptOutputType.INTEGER);

    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;

    BucketRecount(RedisClusterCommands<String, String> sync, RedisClusterAsyncCommands<String, String> async) {
        this.sync = sync;
        this.async = async;
    }

    void recount(String pid, String taskId) {
        for (int b = 0; b < RedisKeys.DEVICE_BUCKETS; b++) {
            Map<String, String> fields = new HashMap<>();
            count(pid, taskId, b).forEach((k, v) -> fields.put(k, Long.toString(v)));
            join(RESET.call(async, new String[] {ControlKeys.taskStats(pid, taskId, b)}, pairs(fields)));
        }
    }

    private Map<String, Long> count(String pid, String taskId, int bucket) {
        Map<String, Long> counts = new HashMap<>();
        String index = RedisKeys.taskDevices(pid, taskId, bucket);
        for (long from = 0; ; from += TaskRows.BATCH) {
            List<String> ids = sync.zrange(index, from, from + TaskRows.BATCH - 1);
            for (String did : ids) {
                List<KeyValue<String, String>> f = sync.hmget(RedisKeys.deviceTask(pid, taskId, did), "state", "stage");
                if (!f.get(0).hasValue()) {
                    continue;
                }
                String state = f.get(0).getValue();
                String stage = f.get(1).getValueOrElse("0");
                counts.merge("state:" + state, 1L, Long::sum);
                counts.merge("stage:" + stage + ":enrolled", 1L, Long::sum);
                if (state.equals("SUCCEEDED") || state.equals("FAILED")) {
                    counts.merge("stage:" + stage + ":" + state.toLowerCase(Locale.ROOT), 1L, Long::sum);
                }
            }
            if (ids.size() < TaskRows.BATCH) {
                return counts;
            }
        }
    }
}
