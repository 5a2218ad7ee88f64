package io.otaedge.control.device;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.RedisScript;
import io.otaedge.control.redis.ControlKeys;
import io.otaedge.control.task.UpgradeType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * What control knows of a device: one hash per device inside its bucket's tag
 * ({@link RedisKeys#deviceTag(String, String)}), with the current version per upgrade type (and per module), the last reported manufacturer/model/MAC, the first
 * and the last check time. One script per check, so a report is stored whole or not at all.
 */
public final class DeviceRepository {

    /**
     * KEYS: device hash, the bucket's device index, optionally a string key to read in the same trip (the
     * device's token pointer for the task the engine picked) and a hash to read whole (the device's row in that
     * task). ARGV: now, device id, then field/value pairs. Returns the first check-in time, the third key's value
     * ('' when absent or not asked for) and the fourth key's fields and values (empty when absent or not asked for).
     */
    private static final RedisScript RECORD = new RedisScript("""
            redis.call('HSETNX', KEYS[1], 'firstSeenAt', ARGV[1])
            for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
            redis.call('ZADD', KEYS[2], 0, ARGV[2])
            local also = ''
            if KEYS[3] then also = redis.call('GET', KEYS[3]) or '' end
            local row = {}
            if KEYS[4] then row = redis.call('HGETALL', KEYS[4]) end
            return {redis.call('HGET', KEYS[1], 'firstSeenAt'), also, row}
            """, ScriptOutputType.MULTI);

    /**
     * What recording a check answers.
     *
     * @param firstSeenAt when the device first checked in (epoch ms)
     * @param alsoRead    the value of the key read along (empty when absent or none was asked for)
     * @param row         the hash read along (the device's row in the task; empty when absent or none was asked for)
     */
    public record CheckRecord(long firstSeenAt, Optional<String> alsoRead, Map<String, String> row) {
    }

    private final RedisClusterAsyncCommands<String, String> redis;

    public DeviceRepository(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    public static String versionField(UpgradeType type) {
        return type == UpgradeType.SOTA ? "sotaVersion" : "fotaVersion";
    }

    /** The field that holds the version of one catalog module. */
    public static String moduleVersionField(String module) {
        return "version:" + module;
    }

    /**
     * Records what the check reported and, in the same script, reads {@code alsoRead} (a string key in
     * the device's bucket, e.g. its token pointer for a task; null for none): one Redis round trip per check.
     */
    public Mono<CheckRecord> recordCheck(DeviceCheck c, long nowMillis, String alsoRead) {
        return recordCheck(c, nowMillis, alsoRead, null);
    }

    /**
     * As {@link #recordCheck(DeviceCheck, long, String)}, reading also the hash {@code rowRead} (in the device's
     * bucket, e.g. its row in the task whose pointer is {@code alsoRead}; null for none), in the same round trip.
     */
    public Mono<CheckRecord> recordCheck(DeviceCheck c, long nowMillis, String alsoRead, String rowRead) {
        List<String> args = new ArrayList<>(16);
        args.add(Long.toString(nowMillis));
        args.add(c.deviceId());
        if (c.type() != null) {
            add(args, versionField(c.type()), c.version());
        }
        if (c.module() != null) {
            add(args, moduleVersionField(c.module()), c.version());
        }
        add(args, "manuf", c.manuf());
        add(args, "model", c.model());
        add(args, "mac", c.mac());
        add(args, "lastCheckAt", Long.toString(nowMillis));
        String device = RedisKeys.device(c.productId(), c.deviceId());
        String index = ControlKeys.deviceIndex(c.productId(), RedisKeys.bucket(c.deviceId()));
        String[] keys = alsoRead == null ? new String[] {device, index}
                : rowRead == null ? new String[] {device, index, alsoRead} : new String[] {device, index, alsoRead, rowRead};
        return RECORD.<List<Object>>run(redis, keys, args.toArray(String[]::new))
                .map(r -> {
                    String value = (String) r.get(1);
                    return new CheckRecord(Long.parseLong((String) r.get(0)), value.isEmpty() ? Optional.empty() : Optional.of(value),
                            pairs((List<?>) r.get(2)));
                });
    }

    /** Stores a version the device reported outside a check (a version report). */
    public Mono<Void> recordVersion(String productId, String deviceId, String field, String version, long nowMillis) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(field, version);
        fields.put("lastReportAt", Long.toString(nowMillis));
        return indexedThen(productId, deviceId, fields);
    }

    /** Records the device's current version of one module (dialects that name modules: FOG, Aliyun, xiaozhi, LuatOS). */
    public Mono<Void> recordModuleVersion(String productId, String deviceId, String module, String version, long nowMillis) {
        return indexedThen(productId, deviceId, Map.of(moduleVersionField(module), version, "lastCheckAt", Long.toString(nowMillis)));
    }

    /**
     * The device in its bucket's index (the device listing's), then {@code fields} into its hash: both sent at once
     * on the bucket's connection, in that order. An entry whose hash is missing is skipped by the listing; a hash
     * missing from the index would never be listed.
     */
    private Mono<Void> indexedThen(String productId, String deviceId, Map<String, String> fields) {
        return Mono.defer(() -> {
            var index = redis.zadd(ControlKeys.deviceIndex(productId, RedisKeys.bucket(deviceId)), 0, deviceId);
            var hash = redis.hset(RedisKeys.device(productId, deviceId), fields);
            return Mono.fromCompletionStage(index).then(Mono.fromCompletionStage(hash)).then();
        });
    }

    /** Every stored field of the device; empty when the device never checked in. */
    public Mono<Map<String, String>> find(String productId, String deviceId) {
        return Mono.fromCompletionStage(() -> redis.hgetall(RedisKeys.device(productId, deviceId)))
                .filter(m -> !m.isEmpty());
    }

    private static Map<String, String> pairs(List<?> flat) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return out;
    }

    /** Up to {@code count} device ids of one bucket's index, by id, after {@code after} (null = from the first). */
    public Mono<List<String>> indexPage(String productId, int bucket, String after, int count) {
        io.lettuce.core.Range<String> range = io.lettuce.core.Range.from(
                after == null ? io.lettuce.core.Range.Boundary.unbounded() : io.lettuce.core.Range.Boundary.excluding(after),
                io.lettuce.core.Range.Boundary.unbounded());
        return Mono.fromCompletionStage(() -> redis.zrangebylex(ControlKeys.deviceIndex(productId, bucket), range,
                io.lettuce.core.Limit.create(0, count)));
    }

    /** How many devices the product's 64 bucket indexes hold (64 ZCARDs sent together: each bucket is its own slot). */
    public Mono<Long> indexedCount(String productId) {
        return reactor.core.publisher.Flux.range(0, RedisKeys.DEVICE_BUCKETS)
                .flatMap(b -> Mono.fromCompletionStage(() -> redis.zcard(ControlKeys.deviceIndex(productId, b))), RedisKeys.DEVICE_BUCKETS)
                .reduce(0L, Long::sum);
    }

    /** The device's row in a task (state, step, times); empty when it has none. */
    public Mono<Map<String, String>> taskRow(String productId, String taskId, String deviceId) {
        return Mono.fromCompletionStage(() -> redis.hgetall(RedisKeys.deviceTask(productId, taskId, deviceId)));
    }

    private static void add(List<String> args, String field, String value) {
        if (value != null) {
            args.add(field);
            args.add(value);
        }
    }
}
