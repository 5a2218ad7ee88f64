package io.otaedge.edge.token;

import io.otaedge.common.token.TokenGrant;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A short-lived local cache of grants in front of Redis, so a device fetching 1 KiB ranges costs
 * one Redis round trip per TTL instead of one per range. Bounded in size and in time: a cached
 * grant is trusted for at most the TTL and never past its own expiry, so revocation and expiry
 * still hold within that bound. Only found grants are cached (a token issued a moment ago must
 * not be refused because it was asked for early). Concurrent misses for one token share one
 * Redis lookup.
 */
public final class CachingTokenResolver implements TokenResolver {

    private final TokenResolver delegate;
    private final int maxSize;
    private final long ttlNanos;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Optional<TokenGrant>>> inFlight = new ConcurrentHashMap<>();
    private final AtomicBoolean evicting = new AtomicBoolean();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public CachingTokenResolver(TokenResolver delegate, int maxSize, Duration ttl) {
        this.delegate = delegate;
        this.maxSize = maxSize;
        this.ttlNanos = ttl.toNanos();
    }

    @Override
    public CompletionStage<Optional<TokenGrant>> find(String token) {
        Entry e = cache.get(token);
        if (e != null) {
            if (System.nanoTime() - e.expiresAtNanos < 0 && e.grant.expiresAt() > System.currentTimeMillis()) {
                hits.increment();
                return e.result;
            }
            cache.remove(token, e);
        }
        misses.increment();
        CompletableFuture<Optional<TokenGrant>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<TokenGrant>> shared = inFlight.putIfAbsent(token, mine);
        if (shared != null) {
            return shared;
        }
        CompletionStage<Optional<TokenGrant>> lookup;
        try {
            lookup = delegate.find(token);
        } catch (RuntimeException ex) {
            inFlight.remove(token, mine);
            mine.completeExceptionally(ex);
            return mine;
        }
        lookup.whenComplete((grant, error) -> {
            // Waiters first: an exception below would vanish in this callback, and a stage left pending
            // would hold every request for this token, now and later (they share it), unanswered.
            inFlight.remove(token, mine);
            if (error != null) {
                mine.completeExceptionally(error);
                return;
            }
            mine.complete(grant);
            if (grant != null && grant.isPresent()) {
                put(token, grant.get());
            }
        });
        return mine;
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    public int size() {
        return cache.size();
    }

    private void put(String token, TokenGrant grant) {
        if (cache.size() >= maxSize) {
            evict();
            if (cache.size() >= maxSize) {
                return;
            }
        }
        cache.put(token, new Entry(grant, CompletableFuture.completedFuture(Optional.of(grant)), System.nanoTime() + ttlNanos));
    }

    /** Drops expired entries, then, if still full, an arbitrary tenth: cheap, and good enough for a seconds-long cache. */
    private void evict() {
        if (!evicting.compareAndSet(false, true)) {
            return;
        }
        try {
            long now = System.nanoTime();
            cache.values().removeIf(e -> now - e.expiresAtNanos >= 0);
            int toDrop = cache.size() - maxSize + Math.max(1, maxSize / 10);
            Iterator<String> it = cache.keySet().iterator();
            while (toDrop-- > 0 && it.hasNext()) {
                it.next();
                it.remove();
            }
        } finally {
            evicting.set(false);
        }
    }

    private record Entry(TokenGrant grant, CompletableFuture<Optional<TokenGrant>> result, long expiresAtNanos) {
    }
}
