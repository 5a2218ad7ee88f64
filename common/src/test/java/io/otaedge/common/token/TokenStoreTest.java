package io.otaedge.common.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.TestRedis;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenStoreTest {

    private final TokenStore store = new TokenStore(TestRedis.connector().async());

    private static TokenGrant grant(String token) {
        long now = System.currentTimeMillis();
        return new TokenGrant(token, "p1", "fw1", "a".repeat(64), "b".repeat(32), 1234, "fw.bin", "1.2.0",
                "dev-1", "task-1", now, now + 60_000);
    }

    @Test
    void savedGrantIsFoundWithAllItsFields() throws Exception {
        String token = DownloadToken.generate();
        TokenGrant g = grant(token);
        assertThat(store.save(g, Duration.ofMinutes(1)).toCompletableFuture().get()).isTrue();
        assertThat(store.find(token).toCompletableFuture().get()).contains(g);
    }

    @Test
    void grantIsStoredWithTheTokensTtl() throws Exception {
        String token = DownloadToken.generate();
        store.save(grant(token), Duration.ofMinutes(5)).toCompletableFuture().get();
        Long ttl = TestRedis.connector().async().pttl(RedisKeys.token(token)).get();
        assertThat(ttl).isBetween(Duration.ofMinutes(4).toMillis(), Duration.ofMinutes(5).toMillis());
    }

    @Test
    void unknownAndMalformedTokensAreEmpty() throws Exception {
        assertThat(store.find(DownloadToken.generate()).toCompletableFuture().get()).isEmpty();
        assertThat(store.find("not-a-token").toCompletableFuture().get()).isEqualTo(Optional.empty());
    }

    @Test
    void revokedTokenIsGone() throws Exception {
        String token = DownloadToken.generate();
        store.save(grant(token), Duration.ofMinutes(1)).toCompletableFuture().get();
        assertThat(store.revoke(token).toCompletableFuture().get()).isTrue();
        assertThat(store.find(token).toCompletableFuture().get()).isEmpty();
        assertThat(store.revoke(token).toCompletableFuture().get()).isFalse();
    }

    @Test
    void saveNeverOverwritesAnExistingToken() throws Exception {
        String token = DownloadToken.generate();
        store.save(grant(token), Duration.ofMinutes(1)).toCompletableFuture().get();
        TokenGrant other = new TokenGrant(token, "p2", "fw2", "c".repeat(64), "d".repeat(32), 1, "x", "2", "d", "t", 0, 0);
        assertThat(store.save(other, Duration.ofMinutes(1)).toCompletableFuture().get()).isFalse();
        assertThat(store.find(token).toCompletableFuture().get().orElseThrow().productId()).isEqualTo("p1");
    }
}
