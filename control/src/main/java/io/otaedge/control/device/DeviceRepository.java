package io.otaedge.control.device;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.task.UpgradeType;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * What control knows of a device: one hash per device inside its product's tag, with the current
 * version per upgrade type, the last reported manufacturer/model and the last check time. One HSET,
 * so a check's report is stored whole or not at all.
 */
public final class DeviceRepository {

    private final RedisAsyncCommands<String, String> redis;

    public DeviceRepository(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    public static String versionField(UpgradeType type) {
        return type == UpgradeType.SOTA ? "sotaVersion" : "fotaVersion";
    }

    /** Records the device's current version (for the given type) and what else the check reported. */
    public Mono<Void> recordCheck(String productId, String deviceId, UpgradeType type, String version,
                                  String manuf, String model, long nowMillis) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(versionField(type), version);
        if (manuf != null) {
            fields.put("manuf", manuf);
        }
        if (model != null) {
            fields.put("model", model);
        }
        fields.put("lastCheckAt", Long.toString(nowMillis));
        return Mono.fromCompletionStage(() -> redis.hset(RedisKeys.device(productId, deviceId), fields)).then();
    }

    /** The hash field that holds a device's current version of one module ({@code version:<module>}). */
    public static String moduleVersionField(String module) {
        return "version:" + module;
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
}
