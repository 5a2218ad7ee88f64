package io.otaedge.control.migration;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.RedisScript;
import io.otaedge.control.redis.ControlKeys;
import io.otaedge.control.dialect.xiaozhi.XiaozhiStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-keys device data written before the device buckets (everything of a product under its one tag
 * {@code ota:{p:<pid>}}) into the buckets' tags, at control start, before any port opens. A global marker
 * ({@value #MARKER}) says it is done, so a start costs one GET afterwards; a fresh Redis gets the marker
 * at once.
 *
 * <p>Per task, in batches of {@value #BATCH} devices of its old device index: each device's row, token
 * pointer (with its TTL) and index entry are copied into its bucket (never over newer data), its served
 * bytes are taken from the old hashes and added to the bucket's, then the old keys and index entries are
 * deleted. Afterwards each bucket's counters are recomputed from the rows it now holds (the counters are
 * a function of the rows: state counts, stage enrolment, stage outcomes), so a re-run after a crash
 * converges. Device hashes and histories are found with one SCAN (they have no index; a SCAN is allowed
 * here, once, never on a request path); so are xiaozhi's activations ({@link #migrateXiaozhi}). A crash
 * between taking a batch's served bytes and adding them
 * loses those devices' counts (display only; the next download adds again); everything else is
 * idempotent. Controls starting together take a lock: one migrates, the others wait for the marker.
 */
public final class DeviceBucketMigration {

    /** Set once the device data is in buckets; its value names the layout. */
    public static final String MARKER = "ota:schema:devices";
    static final String LAYOUT = "buckets-" + RedisKeys.DEVICE_BUCKETS;
    private static final String LOCK = "ota:schema:devices:lock";
    private static final Duration LOCK_TTL = Duration.ofSeconds(60);
    private static final Duration WAIT_FOR_OTHER = Duration.ofMinutes(30);
    static final int BATCH = 500;
    private static final Logger log = LoggerFactory.getLogger(DeviceBucketMigration.class);

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

    /** KEYS: a hash. ARGV: field/value pairs, set where the field is absent (newer data wins). */
    private static final RedisScript MERGE = new RedisScript("""
            for i = 1, #ARGV, 2 do redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) end
            return 1
            """, ScriptOutputType.INTEGER);

    /** KEYS: a bucket's counters of a task. ARGV: field/value pairs. Replaces them. */
    private static final RedisScript RESET = new RedisScript("""
            redis.call('DEL', KEYS[1])
            for i = 1, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
            return 1
            """, ScriptOutputType.INTEGER);

    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;
    private final DownloadProgressStore served;
    private long moved;

    public DeviceBucketMigration(RedisConnector redis) {
        this.sync = redis.sync();
        this.async = redis.async();
        this.served = new DownloadProgressStore(async);
    }

    /** Migrates unless the marker says it is done (or another control is doing it: then waits for it). */
    public void migrateIfNeeded() {
        long deadline = System.nanoTime() + WAIT_FOR_OTHER.toNanos();
        String owner = UUID.randomUUID().toString();
        while (!LAYOUT.equals(sync.get(MARKER))) {
            if ("OK".equals(sync.set(LOCK, owner, SetArgs.Builder.nx().px(LOCK_TTL.toMillis())))) {
                try {
                    migrateAll(owner);
                    sync.set(MARKER, LAYOUT);
                } finally {
                    sync.del(LOCK);
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("another control has been re-keying device data for " + WAIT_FOR_OTHER
                        + " (lock " + LOCK + "); if none is running, delete that key and start again");
            }
            log.info("another control is re-keying device data into buckets; waiting for it");
            sleep();
        }
    }

    /** Moves every product's old-layout device data into the buckets (idempotent; the marker is the caller's). */
    void migrateAll(String owner) {
        moved = 0;
        long started = System.nanoTime();
        List<String> products = new ArrayList<>(sync.smembers(RedisKeys.products()));
        for (String pid : products) {
            for (String taskId : sync.zrange(RedisKeys.tasks(pid), 0, -1)) {
                migrateTask(pid, taskId, owner);
            }
        }
        long devices = migrateDeviceHashes(owner);
        long activations = migrateXiaozhi();
        if (moved > 0 || devices > 0 || activations > 0) {
            log.info("device data re-keyed into {} buckets per product: {} task rows, {} device hashes and {} xiaozhi"
                            + " activations in {} ms", RedisKeys.DEVICE_BUCKETS, moved, devices, activations,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    private void migrateTask(String pid, String taskId, String owner) {
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
            sync.set(LOCK, owner, SetArgs.Builder.px(LOCK_TTL.toMillis()));
            if (moved % 10_000 < batch.size()) {
                log.info("re-keying device data: {} task rows so far (product {}, task {})", moved, pid, taskId);
            }
        }
        recount(pid, taskId);
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
            String oldRow = oldTask + ":dev:" + did;
            String oldPointer = oldTask + ":tok:" + did;
            Map<String, String> row = sync.hgetall(oldRow);
            String pointer = sync.get(oldPointer);
            Long ttl = pointer == null ? null : sync.pttl(oldPointer);
            List<String> args = new ArrayList<>(4 + row.size() * 2);
            args.add(did);
            args.add(Long.toString((long) entry.getScore()));
            boolean live = pointer != null && ttl != null && ttl > 0;
            args.add(live ? pointer : "");
            args.add(live ? Long.toString(ttl) : "0");
            args.addAll(List.of(pairs(row)));
            String[] keys = {RedisKeys.deviceTask(pid, taskId, did), RedisKeys.taskDevices(pid, taskId, RedisKeys.bucket(did)),
                    RedisKeys.deviceToken(pid, taskId, did)};
            join(COPY_DEVICE.call(async, keys, args.toArray(String[]::new)));
            ids.add(did);
            oldKeys.add(oldRow);
            oldKeys.add(oldPointer);
        }
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
        join(DROP_OLD.call(async, oldKeys.toArray(String[]::new), ids.toArray(String[]::new)));
    }

    /** Each bucket's counters of the task, recomputed from the rows the bucket holds. */
    private void recount(String pid, String taskId) {
        for (int b = 0; b < RedisKeys.DEVICE_BUCKETS; b++) {
            Map<String, Long> counts = new HashMap<>();
            String index = RedisKeys.taskDevices(pid, taskId, b);
            for (long from = 0; ; from += BATCH) {
                List<String> ids = sync.zrange(index, from, from + BATCH - 1);
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
                if (ids.size() < BATCH) {
                    break;
                }
            }
            Map<String, String> fields = new HashMap<>();
            counts.forEach((k, v) -> fields.put(k, Long.toString(v)));
            join(RESET.call(async, new String[] {ControlKeys.taskStats(pid, taskId, b)}, pairs(fields)));
        }
    }

    /**
     * Device hashes and task histories ({@code ota:{p:<pid>}:dev:<did>} and {@code …:tasks}): merged into the
     * device's bucket (fields already there are newer and stay), then deleted. Answers how many devices.
     */
    private long migrateDeviceHashes(String owner) {
        long devices = 0;
        ScanArgs match = ScanArgs.Builder.matches("ota:{p:*}:dev:*").limit(1000);
        KeyScanCursor<String> cursor = sync.scan(match);
        while (true) {
            for (String key : cursor.getKeys()) {
                OldDeviceKey old = OldDeviceKey.parse(key);
                if (old == null) {
                    continue;
                }
                Map<String, String> fields = sync.hgetall(key);
                String target = old.history() ? ControlKeys.deviceTasks(old.productId(), old.deviceId())
                        : RedisKeys.device(old.productId(), old.deviceId());
                if (!fields.isEmpty()) {
                    join(MERGE.call(async, new String[] {target}, pairs(fields)));
                }
                sync.del(key);
                devices += old.history() ? 0 : 1;
                if (devices % 10_000 == 0 && !old.history()) {
                    sync.set(LOCK, owner, SetArgs.Builder.px(LOCK_TTL.toMillis()));
                    log.info("re-keying device data: {} device hashes so far", devices);
                }
            }
            if (cursor.isFinished()) {
                return devices;
            }
            // The cursor object itself: on a cluster it also names the node the scan is on.
            cursor = sync.scan(cursor, match);
        }
    }

    /**
     * xiaozhi activations ({@code ota:{p:<pid>}:xz:act:<did>}) move to the device's bucket with their TTL. A
     * pending one's code must name the device's bucket ({@code code mod 64}) for a user's code to find it:
     * such a code moves along; a pending activation whose code does not is dropped with its code (the
     * device gets a new code at its next OTA call). A bound or activated one needs no code key and moves.
     * Answers how many activations moved.
     */
    private long migrateXiaozhi() {
        long n = 0;
        ScanArgs match = ScanArgs.Builder.matches("ota:{p:*}:xz:act:*").limit(1000);
        KeyScanCursor<String> cursor = sync.scan(match);
        while (true) {
            for (String key : cursor.getKeys()) {
                int close = key.indexOf("}:xz:act:");
                String pid = close < 0 ? "" : key.substring("ota:{p:".length(), close);
                if (pid.isEmpty() || pid.contains(":")) {
                    continue;
                }
                String did = key.substring(close + "}:xz:act:".length());
                Map<String, String> fields = sync.hgetall(key);
                String code = fields.get("code");
                String oldCode = oldTag(pid) + ":xz:code:" + code;
                boolean pending = "PENDING".equals(fields.get("state"));
                boolean codeFits = code != null && XiaozhiStore.bucketOf(code) == RedisKeys.bucket(did);
                String target = XiaozhiStore.activationKey(pid, did);
                // An activation already in the bucket is newer (opened since): it stays whole.
                if (!fields.isEmpty() && (!pending || codeFits) && sync.exists(target) == 0) {
                    Long ttl = sync.pttl(key);
                    join(MERGE.call(async, new String[] {target}, pairs(fields)));
                    if (ttl != null && ttl > 0) {
                        sync.pexpire(target, ttl);
                    }
                    String codeDevice = pending ? sync.get(oldCode) : null;
                    Long codeTtl = codeDevice == null ? null : sync.pttl(oldCode);
                    if (codeDevice != null && codeTtl != null && codeTtl > 0) {
                        sync.set(XiaozhiStore.codeKey(pid, code), codeDevice, SetArgs.Builder.nx().px(codeTtl));
                    }
                    n++;
                }
                sync.del(key);
                if (code != null) {
                    sync.del(oldCode);
                }
            }
            if (cursor.isFinished()) {
                return n;
            }
            cursor = sync.scan(cursor, match);
        }
    }

    /**
     * An old-layout device key: the tag is a product id alone (product ids hold no ':', a bucket tag does).
     * {@code …:dev:<did>:tasks} is a history (a device id ending in ":tasks" would be read as one: a
     * limit of the old layout, which could not tell them apart either).
     */
    record OldDeviceKey(String productId, String deviceId, boolean history) {
        static OldDeviceKey parse(String key) {
            int close = key.indexOf("}:dev:");
            if (!key.startsWith("ota:{p:") || close < 0) {
                return null;
            }
            String pid = key.substring("ota:{p:".length(), close);
            if (pid.isEmpty() || pid.contains(":")) {
                return null;
            }
            String rest = key.substring(close + "}:dev:".length());
            boolean history = rest.endsWith(":tasks") && rest.length() > ":tasks".length();
            String did = history ? rest.substring(0, rest.length() - ":tasks".length()) : rest;
            return did.isEmpty() ? null : new OldDeviceKey(pid, did, history);
        }
    }

    private static String oldTag(String productId) {
        return "ota:{p:" + productId + "}";
    }

    private static String[] pairs(Map<String, String> m) {
        String[] out = new String[m.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> e : m.entrySet()) {
            out[i++] = e.getKey();
            out[i++] = e.getValue();
        }
        return out;
    }

    private static String str(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for another control's re-keying", e);
        }
    }
}
