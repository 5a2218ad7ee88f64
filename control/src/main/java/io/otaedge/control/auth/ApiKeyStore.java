package io.otaedge.control.auth;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * API keys in Redis: hash {@code ota:{keys}:key:<id>} ({@code name, role, sha256, createdAt, createdBy,
 * expiresAt}; a key with an expiry also expires in Redis) and the zset {@code ota:{keys}:ids} (id by creation
 * time) that lists them. Every request reads its key's hash (one HGETALL, no cache): a revocation or an expiry
 * holds at once on every control instance.
 */
public final class ApiKeyStore {

    private static final String TAG = "ota:{keys}";
    static final String IDS = TAG + ":ids";

    private final RedisClusterAsyncCommands<String, String> redis;
    private final Clock clock;

    public ApiKeyStore(RedisClusterAsyncCommands<String, String> redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    public static String key(String id) {
        return TAG + ":key:" + id;
    }

    /** A new key: its record and the one and only copy of its presented form. */
    public record Created(ApiKey key, String presented) {
    }

    public Mono<Created> create(String name, Role role, Instant expiresAt, String createdBy) {
        KeySecret secret = KeySecret.generate();
        Instant now = clock.instant();
        ApiKey key = new ApiKey(secret.id(), name, role, now, expiresAt, createdBy);
        Map<String, String> fields = new java.util.HashMap<>(Map.of("name", name, "role", role.wire(), "sha256", secret.hash(),
                "createdAt", now.toString(), "createdBy", createdBy));
        if (expiresAt != null) {
            fields.put("expiresAt", expiresAt.toString());
        }
        Mono<Void> expire = expiresAt == null ? Mono.empty()
                : Mono.fromCompletionStage(() -> redis.pexpireat(key(key.id()), expiresAt.toEpochMilli())).then();
        return Mono.fromCompletionStage(() -> redis.hset(key(key.id()), fields))
                .then(expire)
                .then(Mono.fromCompletionStage(() -> redis.zadd(IDS, now.toEpochMilli(), key.id())))
                .thenReturn(new Created(key, secret.presented()));
    }

    /** The caller a presented key stands for, or empty (unknown id, wrong secret, revoked or expired). */
    public Mono<Caller> verify(KeySecret presented) {
        return Mono.fromCompletionStage(() -> redis.hgetall(key(presented.id())))
                .flatMap(h -> {
                    ApiKey key = decode(presented.id(), h);
                    return key != null && presented.matches(h.get("sha256")) ? Mono.just(key.caller()) : Mono.empty();
                });
    }

    /** Every live key, oldest first; ids whose record expired are dropped from the list on the way. */
    public Mono<List<ApiKey>> list() {
        return Mono.fromCompletionStage(() -> redis.zrange(IDS, 0, -1))
                .flatMapMany(Flux::fromIterable)
                .concatMap(id -> Mono.fromCompletionStage(() -> redis.hgetall(key(id)))
                        .flatMap(h -> {
                            ApiKey key = decode(id, h);
                            if (key == null) {
                                return Mono.fromCompletionStage(() -> redis.zrem(IDS, id)).then(Mono.empty());
                            }
                            return Mono.just(key);
                        }))
                .collectList()
                .map(ArrayList::new);
    }

    /** Deletes the key; false when there was none. Its next request is refused, on every instance. */
    public Mono<Boolean> revoke(String id) {
        return Mono.fromCompletionStage(() -> redis.del(key(id)))
                .flatMap(n -> Mono.fromCompletionStage(() -> redis.zrem(IDS, id)).thenReturn(n > 0));
    }

    private ApiKey decode(String id, Map<String, String> h) {
        if (h == null || h.isEmpty()) {
            return null;
        }
        Role role = Role.parse(h.get("role"));
        Instant expiresAt = h.containsKey("expiresAt") ? Instant.parse(h.get("expiresAt")) : null;
        if (role == null || (expiresAt != null && !clock.instant().isBefore(expiresAt))) {
            return null;
        }
        return new ApiKey(id, h.get("name"), role, Instant.parse(h.get("createdAt")), expiresAt, h.get("createdBy"));
    }
}
