package io.otaedge.control.dialect.xiaozhi;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.redis.LuaScript;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * xiaozhi's own state, inside the product's hash tag: the product's configuration (JSON) and each
 * device's activation ({@code PENDING} → {@code BOUND} once a user entered the code → {@code ACTIVATED}
 * once the device proved itself). A pending code lives 24 hours; codes are unique per product.
 */
public final class XiaozhiStore {

    public static final Duration CODE_LIFETIME = Duration.ofHours(24);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_CODE_TRIES = 5;

    /** An activation as the OTA reply shows it. */
    public record Activation(String state, String code, String challenge) {
        public boolean activated() {
            return "ACTIVATED".equals(state);
        }
    }

    /** KEYS: activation hash, code key. ARGV: code, challenge, ttl ms. Returns {state, code, challenge} or {'CLASH'}. */
    private static final LuaScript OPEN = new LuaScript("""
            local cur = redis.call('HMGET', KEYS[1], 'state', 'code', 'challenge')
            if cur[1] then return cur end
            if not redis.call('SET', KEYS[2], ARGV[4], 'NX', 'PX', ARGV[3]) then return {'CLASH'} end
            redis.call('HSET', KEYS[1], 'state', 'PENDING', 'code', ARGV[1], 'challenge', ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return {'PENDING', ARGV[1], ARGV[2]}
            """, ScriptOutputType.MULTI);

    /** KEYS: code key. ARGV: activation key prefix. Returns the device id, or '' when the code is unknown or already used. */
    private static final LuaScript BIND = new LuaScript("""
            local dev = redis.call('GET', KEYS[1])
            if not dev then return '' end
            local act = ARGV[1] .. dev
            if redis.call('HGET', act, 'state') ~= 'PENDING' then return '' end
            redis.call('HSET', act, 'state', 'BOUND')
            return dev
            """, ScriptOutputType.VALUE);

    /** KEYS: activation hash. ARGV: challenge, code key prefix. Returns NONE, BAD, PENDING or ACTIVATED. */
    private static final LuaScript ACTIVATE = new LuaScript("""
            local cur = redis.call('HMGET', KEYS[1], 'state', 'code', 'challenge')
            if not cur[1] then return 'NONE' end
            if cur[1] == 'ACTIVATED' then return 'ACTIVATED' end
            if ARGV[1] ~= '' and ARGV[1] ~= cur[3] then return 'BAD' end
            if cur[1] ~= 'BOUND' then return 'PENDING' end
            redis.call('HSET', KEYS[1], 'state', 'ACTIVATED')
            redis.call('PERSIST', KEYS[1])
            redis.call('DEL', ARGV[2] .. cur[2])
            return 'ACTIVATED'
            """, ScriptOutputType.VALUE);

    private final RedisAsyncCommands<String, String> redis;

    public XiaozhiStore(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    private static String configKey(String productId) {
        return RedisKeys.productTag(productId) + ":xz:config";
    }

    private static String activationPrefix(String productId) {
        return RedisKeys.productTag(productId) + ":xz:act:";
    }

    private static String codePrefix(String productId) {
        return RedisKeys.productTag(productId) + ":xz:code:";
    }

    public Mono<XiaozhiConfig> config(String productId) {
        return Mono.fromCompletionStage(() -> redis.get(configKey(productId)))
                .map(XiaozhiStore::decode)
                .defaultIfEmpty(XiaozhiConfig.empty());
    }

    public Mono<Void> saveConfig(String productId, XiaozhiConfig config) {
        return Mono.fromCompletionStage(() -> redis.set(configKey(productId), Json.string(config))).then();
    }

    /** The device's activation, opening a pending one (fresh 6-digit code and challenge) when it has none. */
    public Mono<Activation> activation(String productId, String deviceId) {
        return open(productId, deviceId, 0);
    }

    private Mono<Activation> open(String productId, String deviceId, int round) {
        String code = String.format("%06d", RANDOM.nextInt(1_000_000));
        byte[] challenge = new byte[16];
        RANDOM.nextBytes(challenge);
        String[] keys = {activationPrefix(productId) + deviceId, codePrefix(productId) + code};
        return OPEN.<List<Object>>run(redis, keys, code, HexFormat.of().formatHex(challenge),
                        Long.toString(CODE_LIFETIME.toMillis()), deviceId)
                .flatMap(r -> {
                    if ("CLASH".equals(String.valueOf(r.get(0)))) {
                        return round + 1 < MAX_CODE_TRIES ? open(productId, deviceId, round + 1)
                                : Mono.error(new IllegalStateException("no free activation code"));
                    }
                    return Mono.just(new Activation(str(r.get(0)), str(r.get(1)), str(r.get(2))));
                });
    }

    /** A user entered the code: the device it belongs to, or empty when the code is unknown, expired or used. */
    public Mono<String> bind(String productId, String code) {
        return BIND.<String>run(redis, new String[] {codePrefix(productId) + code}, activationPrefix(productId))
                .filter(dev -> !dev.isEmpty());
    }

    /** The device's activate call: NONE, BAD (wrong challenge), PENDING or ACTIVATED. */
    public Mono<String> activate(String productId, String deviceId, String challenge) {
        return ACTIVATE.run(redis, new String[] {activationPrefix(productId) + deviceId},
                challenge == null ? "" : challenge, codePrefix(productId));
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static XiaozhiConfig decode(String json) {
        try {
            return Json.mapper().readValue(json, XiaozhiConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt xiaozhi config in Redis", e);
        }
    }
}
