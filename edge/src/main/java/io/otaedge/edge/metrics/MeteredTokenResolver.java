package io.otaedge.edge.metrics;

import io.otaedge.common.token.TokenGrant;
import io.otaedge.edge.token.TokenResolver;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Times the Redis token look-ups and counts the failed ones; sits under the local cache, so hits cost nothing here. */
public final class MeteredTokenResolver implements TokenResolver {

    private final TokenResolver redis;
    private final EdgeMetrics metrics;

    public MeteredTokenResolver(TokenResolver redis, EdgeMetrics metrics) {
        this.redis = redis;
        this.metrics = metrics;
    }

    @Override
    public CompletionStage<Optional<TokenGrant>> find(String token) {
        long start = System.nanoTime();
        CompletionStage<Optional<TokenGrant>> lookup;
        try {
            lookup = redis.find(token);
        } catch (RuntimeException e) {
            metrics.redisError();
            throw e;
        }
        return lookup.whenComplete((grant, error) -> {
            if (error != null) {
                metrics.redisError();
            } else {
                metrics.redisLatency(System.nanoTime() - start);
            }
        });
    }
}
