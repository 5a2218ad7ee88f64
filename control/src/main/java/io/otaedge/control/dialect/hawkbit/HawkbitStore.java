package io.otaedge.control.dialect.hawkbit;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.RedisScript;
import java.util.LinkedHashMap;
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

    static final String ATTRIBUTE_PREFIX = "attr:";
    static final String CANCEL_PREFIX = "hawkbit:cancel:";

    private final RedisClusterAsyncCommands<String, String> redis;

    HawkbitStore(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = redis;
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
        return Mono.fromCompletionStage(() -> redis.get(config(productId)))
                .map(HawkbitStore::decode)
                .defaultIfEmpty(HawkbitSettings.DEFAULT);
    }

    Mono<Void> saveSettings(String productId, HawkbitSettings settings) {
        return Mono.fromCompletionStage(() -> redis.set(config(productId), Json.string(settings))).then();
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
        return ACTION.run(redis, new String[] {actions(productId), sequence(productId)}, taskId);
    }

    /** The task an action number stands for; empty when none does. */
    Mono<String> taskOf(String productId, long actionId) {
        return Mono.fromCompletionStage(() -> redis.hget(actions(productId), "#" + actionId));
    }

    /** Stores the device's attributes (configData) as {@code attr:<name>} fields of its hash. */
    Mono<Void> saveAttributes(String productId, String deviceId, Map<String, String> attributes) {
        if (attributes.isEmpty()) {
            return Mono.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        attributes.forEach((k, v) -> fields.put(ATTRIBUTE_PREFIX + k, v));
        return Mono.fromCompletionStage(() -> redis.hset(RedisKeys.device(productId, deviceId), fields)).then();
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
