package io.otaedge.edge.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.token.TokenGrant;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingTokenResolverTest {

    /** A store that counts lookups and completes them when told to. */
    private static final class CountingStore implements TokenResolver {
        final AtomicInteger lookups = new AtomicInteger();
        final ConcurrentHashMap<String, TokenGrant> grants = new ConcurrentHashMap<>();
        volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<Optional<TokenGrant>> find(String token) {
            lookups.incrementAndGet();
            return gate.thenApply(v -> Optional.ofNullable(grants.get(token)));
        }
    }

    private static TokenGrant grant(String token, long expiresAt) {
        return new TokenGrant(token, "p", "f", "a".repeat(64), "b".repeat(32), 1, "f.bin", "1", "d", "t", 0, expiresAt);
    }

    private static long inAnHour() {
        return System.currentTimeMillis() + 3_600_000;
    }

    @Test
    void repeatedLookupsWithinTheTtlCostOneStoreLookup() {
        CountingStore store = new CountingStore();
        store.grants.put("t1", grant("t1", inAnHour()));
        CachingTokenResolver cache = new CachingTokenResolver(store, 100, Duration.ofMinutes(1));
        for (int i = 0; i < 50; i++) {
            assertThat(cache.find("t1").toCompletableFuture().join()).isPresent();
        }
        assertThat(store.lookups).hasValue(1);
        assertThat(cache.hits()).isEqualTo(49);
    }

    @Test
    void entriesAreTrustedNoLongerThanTheTtl() {
        CountingStore store = new CountingStore();
        store.grants.put("t1", grant("t1", inAnHour()));
        CachingTokenResolver cache = new CachingTokenResolver(store, 100, Duration.ofMillis(50));
        cache.find("t1").toCompletableFuture().join();
        store.grants.remove("t1"); // revoked in the store
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Optional<TokenGrant> seen;
        do {
            seen = cache.find("t1").toCompletableFuture().join();
        } while (seen.isPresent() && System.nanoTime() < deadline);
        assertThat(seen).isEmpty();
    }

    @Test
    void aGrantIsNeverServedPastItsOwnExpiry() {
        CountingStore store = new CountingStore();
        store.grants.put("t1", grant("t1", System.currentTimeMillis() - 1));
        CachingTokenResolver cache = new CachingTokenResolver(store, 100, Duration.ofMinutes(1));
        cache.find("t1").toCompletableFuture().join();
        cache.find("t1").toCompletableFuture().join();
        assertThat(store.lookups).hasValue(2);
    }

    @Test
    void unknownTokensAreNotCached() {
        CountingStore store = new CountingStore();
        CachingTokenResolver cache = new CachingTokenResolver(store, 100, Duration.ofMinutes(1));
        assertThat(cache.find("t1").toCompletableFuture().join()).isEmpty();
        store.grants.put("t1", grant("t1", inAnHour()));
        assertThat(cache.find("t1").toCompletableFuture().join()).isPresent();
    }

    @Test
    void concurrentMissesShareOneLookup() {
        CountingStore store = new CountingStore();
        store.grants.put("t1", grant("t1", inAnHour()));
        CompletableFuture<Void> gate = new CompletableFuture<>();
        store.gate = gate;
        CachingTokenResolver cache = new CachingTokenResolver(store, 100, Duration.ofMinutes(1));
        var a = cache.find("t1").toCompletableFuture();
        var b = cache.find("t1").toCompletableFuture();
        gate.complete(null);
        assertThat(a.join()).isPresent();
        assertThat(b.join()).isPresent();
        assertThat(store.lookups).hasValue(1);
    }

    @Test
    void storeFailuresPropagateAndAreNotCached() {
        TokenResolver failing = t -> CompletableFuture.failedFuture(new IllegalStateException("redis down"));
        CachingTokenResolver cache = new CachingTokenResolver(failing, 100, Duration.ofMinutes(1));
        assertThat(cache.find("t1").toCompletableFuture()).isCompletedExceptionally();
        assertThat(cache.size()).isZero();
    }

    @Test
    void sizeIsBounded() {
        CountingStore store = new CountingStore();
        CachingTokenResolver cache = new CachingTokenResolver(store, 100, Duration.ofMinutes(1));
        for (int i = 0; i < 1000; i++) {
            store.grants.put("t" + i, grant("t" + i, inAnHour()));
            cache.find("t" + i).toCompletableFuture().join();
        }
        assertThat(cache.size()).isLessThanOrEqualTo(100);
    }

    @Test
    void aLookupWhoseOutcomeCannotBeCachedStillReachesEveryWaiterAndIsNotKept() {
        // A store breaking its contract (null, not an Optional) once made the shared stage never complete:
        // every request for the token, then and later, waited forever.
        AtomicInteger lookups = new AtomicInteger();
        CompletableFuture<Optional<TokenGrant>> pending = new CompletableFuture<>();
        CachingTokenResolver cache = new CachingTokenResolver(t -> {
            lookups.incrementAndGet();
            return pending;
        }, 100, Duration.ofMinutes(1));
        CompletableFuture<Optional<TokenGrant>> first = cache.find("t1").toCompletableFuture();
        CompletableFuture<Optional<TokenGrant>> second = cache.find("t1").toCompletableFuture();
        pending.complete(null);
        assertThat(first).isCompletedWithValue(null);
        assertThat(second).isCompletedWithValue(null);
        cache.find("t1");
        assertThat(lookups).hasValue(2);
        assertThat(cache.size()).isZero();
    }
}
