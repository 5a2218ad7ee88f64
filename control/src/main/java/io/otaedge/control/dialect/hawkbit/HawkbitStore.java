package io.otaedge.control.dialect.hawkbit;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.RedisScript;
import io.otaedge.control.cache.ReadCache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * The DDI dialect's own records. In the product's tag: its settings ({@code :hb:config}), the gateway token's
 * hash ({@code :hb:gw}) and the numbers of its actions ({@code :hb:actions}, {@code :hb:seq}): DDI clients
 * take an action id for an integer (SWUpdate prints it with {@code %d}), so each task gets a small number,
 * once, per product. In the device's bucket: the device's target token hash ({@code :hb:tt:<did>}); its
 * attributes and cancel acknowledgements are fields of the device's own hash ({@code attr:<name>},
 * {@code hawkbit:cancel:<actionId>}), so the admin API's device view shows them.
 */
final class HawkbitStore {

    /** KEYS: actions hash, sequence. ARGV: task id. The task's action number, assigned on first use. */
    private static final RedisScript ACTION = new RedisScript("""
            local id = redis.call('HGET', KEYS[1], ARGV[1])
            if id then return tonumber(id) end
            id = redis.call('INCR', KEYS[2])
            redis.call('HSET', KEYS[1], ARGV[1], id, '#' .. id, ARGV[1])
            return id
            """, ScriptOutputType.INTEGER);

    /** KEYS: device hash. ARGV: prefix, then name/value pairs. Drops every field of the prefix, then sets the pairs. */
    private static final RedisScript REPLACE_ATTRIBUTES = new RedisScript("""
            local n = #ARGV[1]
            for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
              if string.sub(f, 1, n) == ARGV[1] then redis.call('HDEL', KEYS[1], f) end
            end
            for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
            return 0
            """, ScriptOutputType.INTEGER);

    static final String ATTRIBUTE_PREFIX = "attr:";
    static final String CANCEL_PREFIX = "hawkbit:cancel:";

    private final RedisClusterAsyncCommands<String, String> redis;
    /** Settings by product: read on every DDI call. Saved through this process: dropped at once; through another: within the TTL. */
    private final ReadCache<String, HawkbitSettings> settings;
    /** Action numbers by product/task and tasks by product/#number: assigned once, never changed, so a copy is never wrong. */
    private final ReadCache<String, Long> actionIds;
    private final ReadCache<String, String> actionTasks;

    /** @param cache the catalog's cache policy ({@code OTA_CATALOG_CACHE_TTL}); {@link ReadCache.Policy#OFF} reads Redis every time */
    HawkbitStore(RedisClusterAsyncCommands<String, String> redis, ReadCache.Policy cache) {
        this.redis = redis;
        this.settings = cache.newCache(10_000);
        this.actionIds = cache.newCache(100_000);
        this.actionTasks = cache.newCache(100_000);
    }

    /** The product's hawkBit keys in its tag (deleted with the product). */
    static java.util.List<String> productKeys(String productId) {
        return java.util.List.of(config(productId), gateway(productId), actions(productId), sequence(productId));
    }

    private static String config(String productId) {
        return RedisKeys.productTag(productId) + ":hb:config";
    }

    private static String gateway(String productId) {
        return RedisKeys.productTag(productId) + ":hb:gw";
    }

    private static String actions(String productId) {
        return RedisKeys.productTag(productId) + ":hb:actions";
    }

    private static String sequence(String productId) {
        return RedisKeys.productTag(productId) + ":hb:seq";
    }

    private static String targetToken(String productId, String deviceId) {
        return RedisKeys.deviceTag(productId, deviceId) + ":hb:tt:" + deviceId;
    }

    /** The product's settings; {@link HawkbitSettings#DEFAULT} (nothing enabled) when never set. */
    Mono<HawkbitSettings> settings(String productId) {
        return settings.get(productId, pid -> Mono.fromCompletionStage(() -> redis.get(config(pid)))
                        .map(HawkbitStore::decode))
                .defaultIfEmpty(HawkbitSettings.DEFAULT);
    }

    Mono<Void> saveSettings(String productId, HawkbitSettings s) {
        return Mono.fromCompletionStage(() -> redis.set(config(productId), Json.string(s)))
                .doOnSuccess(ok -> settings.invalidateIf(productId::equals))
                .then();
    }

    Mono<String> gatewayTokenHash(String productId) {
        return Mono.fromCompletionStage(() -> redis.get(gateway(productId)));
    }

    Mono<Void> setGatewayTokenHash(String productId, String hash) {
        return Mono.fromCompletionStage(() -> redis.set(gateway(productId), hash)).then();
    }

    /** True when there was a token to revoke. */
    Mono<Boolean> deleteGatewayToken(String productId) {
        return Mono.fromCompletionStage(() -> redis.del(gateway(productId))).map(n -> n > 0);
    }

    Mono<String> targetTokenHash(String productId, String deviceId) {
        return Mono.fromCompletionStage(() -> redis.get(targetToken(productId, deviceId)));
    }

    Mono<Void> setTargetTokenHash(String productId, String deviceId, String hash) {
        return Mono.fromCompletionStage(() -> redis.set(targetToken(productId, deviceId), hash)).then();
    }

    Mono<Boolean> deleteTargetToken(String productId, String deviceId) {
        return Mono.fromCompletionStage(() -> redis.del(targetToken(productId, deviceId))).map(n -> n > 0);
    }

    /** The task's action number (assigned on first use). */
    Mono<Long> actionId(String productId, String taskId) {
        return actionIds.get(productId + "/" + taskId,
                k -> ACTION.run(redis, new String[] {actions(productId), sequence(productId)}, taskId));
    }

    /** The task an action number stands for; empty when none does (kept as such for at most the TTL). */
    Mono<String> taskOf(String productId, long actionId) {
        return actionTasks.get(productId + "/#" + actionId,
                k -> Mono.fromCompletionStage(() -> redis.hget(actions(productId), "#" + actionId)));
    }

    /**
     * Applies a configData to the device's {@code attr:<name>} fields in its hash, by its mode: merge sets them,
     * replace makes them the only ones (one script: no reader sees a half-replaced set), remove drops them.
     */
    Mono<Void> saveAttributes(String productId, String deviceId, HawkbitAttributes update) {
        String key = RedisKeys.device(productId, deviceId);
        Map<String, String> fields = new LinkedHashMap<>();
        update.attributes().forEach((k, v) -> fields.put(ATTRIBUTE_PREFIX + k, v));
        return switch (update.mode()) {
            case MERGE -> fields.isEmpty() ? Mono.empty() : Mono.fromCompletionStage(() -> redis.hset(key, fields)).then();
            case REMOVE -> fields.isEmpty() ? Mono.empty()
                    : Mono.fromCompletionStage(() -> redis.hdel(key, fields.keySet().toArray(String[]::new))).then();
            case REPLACE -> {
                List<String> args = new ArrayList<>(1 + 2 * fields.size());
                args.add(ATTRIBUTE_PREFIX);
                fields.forEach((k, v) -> {
                    args.add(k);
                    args.add(v);
                });
                yield REPLACE_ATTRIBUTES.run(redis, new String[] {key}, args.toArray(String[]::new)).then();
            }
        };
    }

    /** Records the device's answer to a cancellation: {@code <execution>/<finished>/<epoch ms>}. */
    Mono<Void> recordCancelFeedback(String productId, String deviceId, long actionId, String execution, String finished,
                                    long nowMillis) {
        return Mono.fromCompletionStage(() -> redis.hset(RedisKeys.device(productId, deviceId), CANCEL_PREFIX + actionId,
                execution + "/" + finished + "/" + nowMillis)).then();
    }

    private static HawkbitSettings decode(String json) {
        try {
            return Json.mapper().readValue(json, HawkbitSettings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt hawkBit settings in Redis", e);
        }
    }
}
