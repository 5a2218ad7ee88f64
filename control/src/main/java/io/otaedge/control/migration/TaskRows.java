package io.otaedge.control.migration;

import static io.otaedge.control.migration.MigrationCalls.MERGE;
import static io.otaedge.control.migration.MigrationCalls.join;
import static io.otaedge.control.migration.MigrationCalls.oldTag;
import static io.otaedge.control.migration.MigrationCalls.pairs;
import static io.otaedge.control.migration.MigrationCalls.str;

import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.RedisScript;
import io.otaedge.control.redis.ControlKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one task's device rows from the old layout into the buckets, in batches of {@value #BATCH} devices of its
 * old device index: each device's row, token pointer (with its TTL) and index entry are copied into its bucket
 * (never over newer data), its served bytes are taken from the old hashes and added to the bucket's, then the old
 * keys and index entries are deleted. The task's counters are then recomputed ({@link BucketRecount}) and its
 * auto-pause marks kept.
 */
final class TaskRows {

    static final int BATCH = 500;
    private static final Logger log = LoggerFactory.getLogger(TaskRows.class);

    /**
     * KEYS (the device's bucket): new row, the bucket's device index of the task, new pointer. ARGV: device
     * id, join score, pointer value ('' = none), pointer TTL ms, then the old row's field/value pairs.
     */
    private static final RedisScript COPY_DEVICE = new RedisScript("""
            if #ARGV > 4 and redis.call('EXISTS', KEYS[1]) == 0 then
              for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
            end
            redis.call('ZADD', KEYS[2], 'NX', ARGV[2], ARGV[1])
            if ARGV[3] ~= '' then redis.call('SET', KEYS[3], ARGV[3], 'NX', 'PX', ARGV[4]) end
            return 1
            """, ScriptOutputType.INTEGER);

    /** KEYS (old tag): served-bytes hash, served-end hash. ARGV: device ids. Takes theirs: {id, bytes, end, …}. */
    private static final RedisScript TAKE_SERVED = new RedisScript("""
            local out = {}
            for i = 1, #ARGV do
              local n = redis.call('HGET', KEYS[1], ARGV[i])
              if n then
                table.insert(out, ARGV[i])
                table.insert(out, n)
                table.insert(out, redis.call('HGET', KEYS[2], ARGV[i]) or '0')
                redis.call('HDEL', KEYS[1], ARGV[i])
                redis.call('HDEL', KEYS[2], ARGV[i])
              end
            end
            return out
            """, ScriptOutputType.MULTI);

    /** KEYS (old tag): the task's old device index, then the keys to delete. ARGV: the devices to drop from the index. */
    private static final RedisScript DROP_OLD = new RedisScript("""
            redis.call('ZREM', KEYS[1], unpack(ARGV))
            for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
            return #ARGV
            """, ScriptOutputType.INTEGER);

    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;
    private final DownloadProgressStore served;
    private final BucketRecount recount;
    private final MigrationLock lock;
    private long moved;

    TaskRows(RedisClusterCommands<String, String> sync, RedisClusterAsyncCommands<String, String> async, MigrationLock lock) {
        this.sync = sync;
        this.async = async;
        this.served = new DownloadProgressStore(async);
        this.recount = new BucketRecount(sync, async);
        this.lock = lock;
    }

    /** Task rows moved so far. */
    long moved() {
        return moved;
    }

    void migrate(String pid, String taskId) {
        String oldTask = oldTag(pid) + ":task:" + taskId;
        String oldIndex = oldTask + ":devs";
        String oldStats = oldTask + ":stats";
        if (sync.exists(oldIndex, oldStats, oldTask + ":served", oldTask + ":servedEnd") == 0) {
            return;
        }
        List<ScoredValue<String>> batch;
        while (!(batch = sync.zrangeWithScores(oldIndex, 0, BATCH - 1)).isEmpty()) {
            moveBatch(pid, taskId, oldTask, batch);
            moved += batch.size();
            lock.renew();
            if (moved % 10_000 < batch.size()) {
                log.info("re-keying device data: {} task rows so far (product {}, task {})", moved, pid, taskId);
            }
        }
        recount.recount(pid, taskId);
        Map<String, String> marks = sync.hgetall(oldStats);
        Map<String, String> pause = new HashMap<>();
        for (String f : List.of("autoPausedAt", "autoPausedStage")) {
            if (marks.containsKey(f)) {
                pause.put(f, marks.get(f));
            }
        }
        if (!pause.isEmpty()) {
            join(MERGE.call(async, new String[] {ControlKeys.taskAutoPause(pid, taskId)}, pairs(pause)));
        }
        // Bytes served to devices no longer in the index (none in practice) have no row to show them.
        sync.del(oldStats, oldTask + ":served", oldTask + ":servedEnd");
    }

    private void moveBatch(String pid, String taskId, String oldTask, List<ScoredValue<String>> batch) {
        List<String> ids = new ArrayList<>(batch.size());
        List<String> oldKeys = new ArrayList<>(batch.size() * 2 + 1);
        oldKeys.add(oldTask + ":devs");
        for (ScoredValue<String> entry : batch) {
            String did = entry.getValue();
            copyDevice(pid, taskId, oldTask, did, (long) entry.getScore());
            ids.add(did);
            oldKeys.add(oldTask + ":dev:" + did);
            oldKeys.add(oldTask + ":tok:" + did);
        }
        moveServed(pid, taskId, oldTask, ids);
        join(DROP_OLD.call(async, oldKeys.toArray(String[]::new), ids.toArray(String[]::new)));
    }

    /** One device's row, token pointer and index entry, copied into its bucket. */
    private void copyDevice(String pid, String taskId, String oldTask, String did, long joined) {
        String oldPointer = oldTask + ":tok:" + did;
        Map<String, String> row = sync.hgetall(oldTask + ":dev:" + did);
        String pointer = sync.get(oldPointer);
        Long ttl = pointer == null ? null : sync.pttl(oldPointer);
        List<String> args = new ArrayList<>(4 + row.size() * 2);
        args.add(did);
        args.add(Long.toString(joined));
        boolean live = pointer != null && ttl != null && ttl > 0;
        args.add(live ? pointer : "");
        args.add(live ? Long.toString(ttl) : "0");
        args.addAll(List.of(pairs(row)));
        String[] keys = {RedisKeys.deviceTask(pid, taskId, did), RedisKeys.taskDevices(pid, taskId, RedisKeys.bucket(did)),
                RedisKeys.deviceToken(pid, taskId, did)};
        join(COPY_DEVICE.call(async, keys, args.toArray(String[]::new)));
    }

    /** The batch's served bytes, taken from the old hashes and added to the buckets'. */
    private void moveServed(String pid, String taskId, String oldTask, List<String> ids) {
        List<Object> taken = join(TAKE_SERVED.call(async, new String[] {oldTask + ":served", oldTask + ":servedEnd"},
                ids.toArray(String[]::new)));
        List<DownloadProgressStore.Increment> incs = new ArrayList<>(taken.size() / 3);
        for (int i = 0; i + 2 < taken.size(); i += 3) {
            incs.add(new DownloadProgressStore.Increment(str(taken.get(i)), Long.parseLong(str(taken.get(i + 1))),
                    Long.parseLong(str(taken.get(i + 2)))));
        }
        if (!incs.isEmpty()) {
            join(served.add(pid, taskId, incs));
        }
    }
}
