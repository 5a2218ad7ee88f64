package io.otaedge.control.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;

/**
 * A short-lived, bounded local copy of records that every device check reads (products, a product's
 * tasks, package statuses and look-ups), so that a check does not pay a Redis round trip and a JSON
 * decoding for each of them. A copy is trusted for at most the TTL: writes made through this process
 * drop the affected copies at once (the repositories call {@link #invalidateIf}); writes made by
 * another control instance drop them when its {@link CatalogChanges} message arrives, and within the TTL at worst. Concurrent misses for one key share one load;
 * failed loads are not kept; "not found" is kept like any answer. A zero TTL turns the cache off.
 */
public final class ReadCache<K, V> {

    /** How long copies live ({@code OTA_CATALOG_CACHE_TTL}); zero = no caching. Repositories make their caches from it. */
    public record Policy(Duration ttl, Ticker ticker, CatalogChanges changes) {
        public static final Policy OFF = new Policy(Duration.ZERO);

        public Policy(Duration ttl) {
            this(ttl, Ticker.systemTicker(), null);
        }

        public Policy(Duration ttl, Ticker ticker) {
            this(ttl, ticker, null);
        }

        /** @param changes tells the other control instances of this one's writes, and this one of theirs; null = none */
        public Policy(Duration ttl, CatalogChanges changes) {
            this(ttl, Ticker.systemTicker(), changes);
        }

        public <K, V> ReadCache<K, V> newCache(long maxSize) {
            ReadCache<K, V> cache = new ReadCache<>(this, maxSize);
            if (changes != null && cache.cache != null) {
                changes.register(cache);
            }
            return cache;
        }
    }

    private final AsyncCache<K, Optional<V>> cache;
    private final CatalogChanges changes;

    private ReadCache(Policy policy, long maxSize) {
        this.changes = policy.changes();
        Duration ttl = policy.ttl();
        this.cache = ttl.isZero() || ttl.isNegative() || maxSize <= 0 ? null
                : Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxSize).ticker(policy.ticker()).buildAsync();
    }

    /** The cached answer for {@code key}, or {@code loader}'s (then kept for the TTL). */
    public Mono<V> get(K key, Function<K, Mono<V>> loader) {
        if (cache == null) {
            return loader.apply(key);
        }
        // suppressCancel: the future is shared by every caller of this key; one caller going away
        // (a device hanging up) must not cancel the load the others wait for.
        return Mono.fromFuture(() -> cache.get(key, (k, executor) -> loader.apply(k)
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty())
                        .toFuture()), true)
                .flatMap(Mono::justOrEmpty);
    }

    /**
     * Drops every copy whose key matches, loads in flight included. Call it once the write that
     * changed those records has completed, so that no later load can read the old value.
     */
    public void invalidateIf(Predicate<K> stale) {
        if (cache != null) {
            cache.asMap().keySet().removeIf(stale);
            if (changes != null) {
                changes.announce();
            }
        }
    }

    /** Drops every copy: another control instance changed catalog records. */
    void invalidateAll() {
        cache.asMap().clear();
    }
}
