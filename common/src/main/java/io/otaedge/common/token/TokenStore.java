package io.otaedge.common.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisKeys;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Download tokens in Redis: one key per token, its TTL is the token's lifetime, so expiry is
 * Redis' job. Non-blocking only: every call returns a stage that completes on a Lettuce thread.
 */
public final class TokenStore {

    private final RedisClusterAsyncCommands<String, String> redis;

    public TokenStore(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** The grant behind a token, or empty when it is unknown, expired or revoked (callers cannot tell which). */
    public CompletionStage<Optional<TokenGrant>> find(String token) {
        if (!DownloadToken.isWellFormed(token)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return redis.get(RedisKeys.token(token)).thenApply(TokenStore::decode);
    }

    /** Stores a grant for {@code ttl}; replaces nothing (a token is random, a clash means a bug). */
    public CompletionStage<Boolean> save(TokenGrant grant, Duration ttl) {
        String json = Json.string(grant);
        return redis.set(RedisKeys.token(grant.token()), json, SetArgs.Builder.nx().px(ttl.toMillis()))
                .thenApply("OK"::equals);
    }

    /** Revokes a token at once; true when it existed. */
    public CompletionStage<Boolean> revoke(String token) {
        if (!DownloadToken.isWellFormed(token)) {
            return CompletableFuture.completedFuture(false);
        }
        return redis.del(RedisKeys.token(token)).thenApply(n -> n != null && n > 0);
    }

    /** A grant from its stored JSON; empty for null. */
    public static Optional<TokenGrant> decode(String json) {
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readValue(json, TokenGrant.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt token record in Redis", e);
        }
    }
}
