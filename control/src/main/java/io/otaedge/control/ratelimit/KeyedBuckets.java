package io.otaedge.control.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/**
 * One token bucket per key (a device, an address), in a bounded cache. A bucket left alone until it is full
 * again expires: forgetting it changes nothing. When more keys are live than the cache holds, the least
 * used lose their bucket and start again full; the address limit still bounds what that can win.
 */
final class KeyedBuckets {

    private final Bandwidth limit;
    private final Cache<Object, Bucket> buckets;

    /** {@code capacity} at once, refilled at {@code tokens} per {@code period}; at most {@code maxKeys} buckets. */
    KeyedBuckets(long capacity, long tokens, Duration period, long maxKeys) {
        this.limit = Bandwidth.builder().capacity(capacity).refillGreedy(tokens, period).build();
        Duration refill = period.multipliedBy(capacity).dividedBy(tokens).plusSeconds(1);
        this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(refill).build();
    }

    /** Takes one token: 0 when there was one, else the nanoseconds until there will be (at least 1). */
    long take(Object key) {
        ConsumptionProbe probe = bucket(key).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    /** The nanoseconds until {@code key} has a token again; 0 when it has one now. Takes nothing. */
    long waitFor(Object key) {
        Bucket b = buckets.getIfPresent(key);
        if (b == null) {
            return 0;
        }
        return b.getAvailableTokens() >= 1 ? 0 : Math.max(1, b.estimateAbilityToConsume(1).getNanosToWaitForRefill());
    }

    private Bucket bucket(Object key) {
        return buckets.get(key, k -> Bucket.builder().addLimit(limit).build());
    }
}
