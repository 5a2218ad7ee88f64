package io.otaedge.control.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class ReadCacheTest {

    /** A clock the test moves by hand, so expiry is asserted without waiting. */
    private final AtomicLong nanos = new AtomicLong();
    private final ReadCache<String, String> cache = new ReadCache.Policy(Duration.ofSeconds(1), nanos::get).newCache(100);
    private final AtomicInteger loads = new AtomicInteger();

    private Mono<String> load(String key) {
        return Mono.fromSupplier(() -> key + "#" + loads.incrementAndGet());
    }

    @Test
    void aCopyIsServedUntilItsTtlRunsOutThenLoadedAgain() {
        assertThat(cache.get("p", this::load).block()).isEqualTo("p#1");
        nanos.addAndGet(Duration.ofMillis(999).toNanos());
        assertThat(cache.get("p", this::load).block()).isEqualTo("p#1");
        nanos.addAndGet(Duration.ofMillis(2).toNanos());
        assertThat(cache.get("p", this::load).block()).isEqualTo("p#2");
    }

    @Test
    void concurrentMissesShareOneLoad() {
        Sinks.One<String> redis = Sinks.one();
        Mono<String> first = cache.get("p", k -> redis.asMono().doOnSubscribe(s -> loads.incrementAndGet()));
        Mono<String> second = cache.get("p", k -> redis.asMono().doOnSubscribe(s -> loads.incrementAndGet()));
        var a = first.toFuture();
        var b = second.toFuture();
        redis.tryEmitValue("v");
        assertThat(a.join()).isEqualTo("v");
        assertThat(b.join()).isEqualTo("v");
        assertThat(loads).hasValue(1);
    }

    @Test
    void notFoundIsKeptLikeAnyAnswer() {
        assertThat(cache.get("p", k -> Mono.<String>empty().doOnSubscribe(s -> loads.incrementAndGet())).blockOptional()).isEmpty();
        assertThat(cache.get("p", this::load).blockOptional()).isEmpty();
        assertThat(loads).hasValue(1);
    }

    @Test
    void aFailedLoadIsNotKept() {
        assertThatThrownBy(() -> cache.get("p", k -> Mono.error(new IllegalStateException("redis down"))).block())
                .hasMessageContaining("redis down");
        assertThat(cache.get("p", this::load).block()).isEqualTo("p#1");
    }

    @Test
    void invalidationDropsOnlyTheMatchingKeys() {
        cache.get("p1", this::load).block();
        cache.get("p2", this::load).block();
        cache.invalidateIf("p1"::equals);
        assertThat(cache.get("p1", this::load).block()).isEqualTo("p1#3");
        assertThat(cache.get("p2", this::load).block()).isEqualTo("p2#2");
    }

    @Test
    void aCallerGoingAwayDoesNotCancelTheLoadOthersWaitFor() {
        Sinks.One<String> redis = Sinks.one();
        var impatient = cache.get("p", k -> redis.asMono()).subscribe();
        var patient = cache.get("p", k -> Mono.just("second load")).toFuture();
        impatient.dispose();
        redis.tryEmitValue("v");
        assertThat(patient.join()).isEqualTo("v");
    }

    @Test
    void aZeroTtlTurnsCachingOff() {
        ReadCache<String, String> off = ReadCache.Policy.OFF.newCache(100);
        assertThat(off.get("p", this::load).block()).isEqualTo("p#1");
        assertThat(off.get("p", this::load).block()).isEqualTo("p#2");
    }
}
