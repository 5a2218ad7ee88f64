package io.otaedge.control.dialect.xiaozhi;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.RedisScript;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * xiaozhi's own state: the product's configuration (JSON, product tag) and each device's activation
 * (in the device's bucket, with its code's key: a code's value mod 64 is its device's bucket) ({@code PENDING} → {@code BOUND} once a user entered the code → {@code ACTIVATED}
 * once the device proved itself). A pending code lives 24 hours; codes are unique per product.
 *
 * <p>An activation opened by an {@code Activation-Version} other than {@code 1} is marked {@code signed}:
 * it activates only with a serial number and its HMAC, never with {@code {}}. When that OTA call carried a
 * {@code Serial-Number}, the serial is recorded too and activation takes only that serial. Both are fixed
 * when the activation opens: a later OTA call (which proves nothing) cannot loosen or change them.
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

    /**
     * KEYS: activation hash, code key. ARGV: code, challenge, ttl ms, device id, signed ('1' or ''), serial
     * ('' for none). Returns {state, code, challenge} or {'CLASH'}.
     */
    private static final RedisScript OPEN = new RedisScript("""
            local cur = redis.call('HMGET', KEYS[1], 'state', 'code', 'challenge')
            if cur[1] then return cur end
            if not redis.call('SET', KEYS[2], ARGV[4], 'NX', 'PX', ARGV[3]) then return {'CLASH'} end
            redis.call('HSET', KEYS[1], 'state', 'PENDING', 'code', ARGV[1], 'challenge', ARGV[2])
            if ARGV[5] == '1' then redis.call('HSET', KEYS[1], 'signed', '1') end
            if ARGV[5] == '1' and ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'serial', ARGV[6]) end
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return {'PENDING', ARGV[1], ARGV[2]}
            """, ScriptOutputType.MULTI);

    /**
     * KEYS: code key, the activation hash of the device the code named when read. ARGV: that device id.
     * Returns the device id, or '' when the code is unknown, used, or names another device by now.
     */
    private static final RedisScript BIND = new RedisScript("""
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return '' end
            if redis.call('HGET', KEYS[2], 'state') ~= 'PENDING' then return '' end
            redis.call('HSET', KEYS[2], 'state', 'BOUND')
            return ARGV[1]
            """, ScriptOutputType.VALUE);

    /**
     * KEYS: activation hash, the key of the code it held when read. ARGV: challenge, serial ('' for an
     * unsigned {@code {}}, whose challenge may be ''), that code. Returns NONE, STALE (the activation holds
     * another code by now: read again), BAD (challenge), UNSIGNED (a signed activation without a serial),
     * SERIAL (not the recorded serial), PENDING or ACTIVATED. Every check runs before the state answers.
     */
    private static final RedisScript ACTIVATE = new RedisScript("""
            local cur = redis.call('HMGET', KEYS[1], 'state', 'code', 'challenge', 'signed', 'serial')
            if not cur[1] then return 'NONE' end
            if cur[2] ~= ARGV[3] then return 'STALE' end
            if (ARGV[2] ~= '' or ARGV[1] ~= '') and ARGV[1] ~= cur[3] then return 'BAD' end
            if cur[4] and ARGV[2] == '' then return 'UNSIGNED' end
            if cur[5] and ARGV[2] ~= cur[5] then return 'SERIAL' end
            if cur[1] == 'ACTIVATED' then return 'ACTIVATED' end
            if cur[1] ~= 'BOUND' then return 'PENDING' end
            redis.call('HSET', KEYS[1], 'state', 'ACTIVATED')
            redis.call('PERSIST', KEYS[1])
            redis.call('DEL', KEYS[2])
            return 'ACTIVATED'
            """, ScriptOutputType.VALUE);

    private final RedisClusterAsyncCommands<String, String> redis;

    public XiaozhiStore(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** The product's xiaozhi keys in its tag (deleted with the product). */
    static java.util.List<String> productKeys(String productId) {
        return java.util.List.of(configKey(productId));
    }

    private static String configKey(String productId) {
        return RedisKeys.productTag(productId) + ":xz:config";
    }

    /** The device's activation, in the device's bucket. */
    public static String activationKey(String productId, String deviceId) {
        return RedisKeys.deviceTag(productId, deviceId) + ":xz:act:" + deviceId;
    }

    /**
     * A code's key, in the bucket the code names ({@code code mod 64}): a code is chosen so that this is its
     * device's bucket, so a user's code finds its device's activation within one slot.
     */
    public static String codeKey(String productId, String code) {
        return RedisKeys.bucketTag(productId, bucketOf(code)) + ":xz:code:" + code;
    }

    /**
     * The key of the code an activation holds: {@link #codeKey}, or, for a code that does not name the device's
     * bucket (issued before the buckets, kept by an activation bound or activated since), a key in the
     * device's bucket that no code is stored under, so the script stays in one slot and deletes nothing.
     */
    static String codeKeyOf(String productId, String deviceId, String code) {
        return bucketOf(code) == RedisKeys.bucket(deviceId) ? codeKey(productId, code)
                : RedisKeys.deviceTag(productId, deviceId) + ":xz:oldcode:" + code;
    }

    /** The bucket a code names; -1 for text that is not a code. */
    public static int bucketOf(String code) {
        try {
            return Integer.parseInt(code) % RedisKeys.DEVICE_BUCKETS;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A fresh 6-digit code whose value mod 64 is the device's bucket (1,000,000 = 15,625 × 64 codes in all). */
    static String newCode(String deviceId) {
        int perBucket = 1_000_000 / RedisKeys.DEVICE_BUCKETS;
        return String.format("%06d", RANDOM.nextInt(perBucket) * RedisKeys.DEVICE_BUCKETS + RedisKeys.bucket(deviceId));
    }

    public Mono<XiaozhiConfig> config(String productId) {
        return Mono.fromCompletionStage(() -> redis.get(configKey(productId)))
                .map(XiaozhiStore::decode)
                .defaultIfEmpty(XiaozhiConfig.empty());
    }

    public Mono<Void> saveConfig(String productId, XiaozhiConfig config) {
        return Mono.fromCompletionStage(() -> redis.set(configKey(productId), Json.string(config))).then();
    }

    /**
     * The device's activation, opening a pending one (fresh 6-digit code and challenge) when it has none.
     *
     * @param signed whether the OTA call's {@code Activation-Version} demands an HMAC at activation
     * @param serial the OTA call's {@code Serial-Number}, or null; recorded only with {@code signed}
     */
    public Mono<Activation> activation(String productId, String deviceId, boolean signed, String serial) {
        return open(productId, deviceId, signed ? "1" : "", signed && serial != null ? serial : "", 0);
    }

    private Mono<Activation> open(String productId, String deviceId, String signed, String serial, int round) {
        String code = newCode(deviceId);
        byte[] challenge = new byte[16];
        RANDOM.nextBytes(challenge);
        String[] keys = {activationKey(productId, deviceId), codeKey(productId, code)};
        return OPEN.<List<Object>>run(redis, keys, code, HexFormat.of().formatHex(challenge),
                        Long.toString(CODE_LIFETIME.toMillis()), deviceId, signed, serial)
                .flatMap(r -> {
                    if ("CLASH".equals(String.valueOf(r.get(0)))) {
                        return round + 1 < MAX_CODE_TRIES ? open(productId, deviceId, signed, serial, round + 1)
                                : Mono.error(new IllegalStateException("no free activation code"));
                    }
                    return Mono.just(new Activation(str(r.get(0)), str(r.get(1)), str(r.get(2))));
                });
    }

    /** A user entered the code: the device it belongs to, or empty when the code is unknown, expired or used. */
    public Mono<String> bind(String productId, String code) {
        // The script is given both keys (a cluster routes by them): the code's device is read first.
        if (bucketOf(code) < 0) {
            return Mono.empty();
        }
        String codeKey = codeKey(productId, code);
        return Mono.fromCompletionStage(() -> redis.get(codeKey))
                // A code names its device's bucket; one that does not (data from before the buckets) is unknown.
                .filter(dev -> RedisKeys.bucket(dev) == bucketOf(code))
                .flatMap(dev -> BIND.<String>run(redis, new String[] {codeKey, activationKey(productId, dev)}, dev))
                .filter(dev -> !dev.isEmpty());
    }

    /**
     * The device's activate call: NONE, BAD (wrong challenge), UNSIGNED (this activation needs an HMAC),
     * SERIAL (not the serial recorded for the device), PENDING or ACTIVATED.
     *
     * @param serial the body's {@code serial_number} whose HMAC the caller verified, or null for {@code {}}
     */
    public Mono<String> activate(String productId, String deviceId, String challenge, String serial) {
        return activate(productId, deviceId, challenge == null ? "" : challenge, serial == null ? "" : serial, 0);
    }

    private Mono<String> activate(String productId, String deviceId, String challenge, String serial, int round) {
        String activation = activationKey(productId, deviceId);
        // The code is read first so that the script declares the code key it deletes.
        return Mono.fromCompletionStage(() -> redis.hget(activation, "code"))
                .flatMap(code -> ACTIVATE.<String>run(redis, new String[] {activation, codeKeyOf(productId, deviceId, code)},
                        challenge, serial, code))
                .defaultIfEmpty("NONE")
                .flatMap(r -> !"STALE".equals(r) ? Mono.just(r)
                        : round + 1 < MAX_CODE_TRIES ? activate(productId, deviceId, challenge, serial, round + 1)
                        : Mono.error(new IllegalStateException("the activation kept changing")));
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
