package io.otaedge.control.device;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.engine.DeviceCheck;
import io.otaedge.control.redis.LuaScript;
import io.otaedge.control.task.UpgradeType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * What control knows of a device: one hash per device inside its product's tag, with the current
 * version per upgrade type (and per module), the last reported manufacturer/model/MAC, the first
 * and the last check time. One script per check, so a report is stored whole or not at all.
 */
public final class DeviceRepository {

    /** KEYS: device hash. ARGV: now, then field/value pairs. Returns the first check-in time. */
    private static final LuaScript RECORD = new LuaScript("""
            redis.call('HSETNX', KEYS[1], 'firstSeenAt', ARGV[1])
            for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
            return redis.call('HGET', KEYS[1], 'firstSeenAt')
            """, ScriptOutputType.VALUE);

    private final RedisAsyncCommands<String, String> redis;

    public DeviceRepository(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    public static String versionField(UpgradeType type) {
        return type == UpgradeType.SOTA ? "sotaVersion" : "fotaVersion";
    }

    /** The field that holds the version of one catalog module. */
    public static String moduleVersionField(String module) {
        return "version:" + module;
    }

    /** Records the device's current version (for the given type) and what else the check reported. */
    public Mono<Void> recordCheck(String productId, String deviceId, UpgradeType type, String version,
                                  String manuf, String model, long nowMillis) {
        return recordCheck(new DeviceCheck(productId, deviceId, type, version, manuf, model, null, null), nowMillis).then();
    }

    /** Records what the check reported; answers when the device first checked in (epoch ms). */
    public Mono<Long> recordCheck(DeviceCheck c, long nowMillis) {
        List<String> args = new ArrayList<>(16);
        args.add(Long.toString(nowMillis));
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
        return RECORD.<String>run(redis, new String[] {RedisKeys.device(c.productId(), c.deviceId())}, args.toArray(String[]::new))
                .map(Long::parseLong);
    }

    /** Stores a version the device reported outside a check (a version report). */
    public Mono<Void> recordVersion(String productId, String deviceId, String field, String version, long nowMillis) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(field, version);
        fields.put("lastReportAt", Long.toString(nowMillis));
        return Mono.fromCompletionStage(() -> redis.hset(RedisKeys.device(productId, deviceId), fields)).then();
    }

    /** Records the device's current version of one module (dialects that name modules: FOG, Aliyun, xiaozhi, LuatOS). */
    public Mono<Void> recordModuleVersion(String productId, String deviceId, String module, String version, long nowMillis) {
        return Mono.fromCompletionStage(() -> redis.hset(RedisKeys.device(productId, deviceId),
                Map.of(moduleVersionField(module), version, "lastCheckAt", Long.toString(nowMillis)))).then();
    }

    /** Every stored field of the device; empty when the device never checked in. */
    public Mono<Map<String, String>> find(String productId, String deviceId) {
        return Mono.fromCompletionStage(() -> redis.hgetall(RedisKeys.device(productId, deviceId)))
                .filter(m -> !m.isEmpty());
    }

    private static void add(List<String> args, String field, String value) {
        if (value != null) {
            args.add(field);
            args.add(value);
        }
    }
}
