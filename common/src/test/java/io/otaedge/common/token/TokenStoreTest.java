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

    @Test
    void theSignalReportedAtTheCheckIsKeptAndAGrantWithoutOneHasNoSuchField() throws Exception {
        long now = System.currentTimeMillis();
        String token = DownloadToken.generate();
        TokenGrant withSignal = new TokenGrant(token, "p1", "fw1", "a".repeat(64), "b".repeat(32), 1234, "fw.bin", "1.2.0",
                "dev-1", "task-1", now, now + 60_000, 17);
        store.save(withSignal, Duration.ofMinutes(1)).toCompletableFuture().get();
        assertThat(store.find(token).toCompletableFuture().get().orElseThrow().signal()).isEqualTo(17);
        assertThat(io.otaedge.common.json.Json.string(grant(DownloadToken.generate()))).doesNotContain("signal");
    }

    @Test
    void aGrantStoredBeforeTheSignalExistedIsStillReadWithoutOne() {
        String old = "{\"token\":\"ota_AAAAAAAAAAAAAAAAAAAA\",\"productId\":\"p1\",\"firmwareId\":\"fw1\",\"sha256\":\""
                + "a".repeat(64) + "\",\"md5\":\"" + "b".repeat(32) + "\",\"size\":1234,\"fileName\":\"fw.bin\","
                + "\"version\":\"1.2.0\",\"deviceId\":\"dev-1\",\"taskId\":\"task-1\",\"issuedAt\":1,\"expiresAt\":2}";
        TokenGrant g = TokenStore.decode(old).orElseThrow();
        assertThat(g.signal()).isNull();
        assertThat(g.taskId()).isEqualTo("task-1");
        assertThat(g.expiresAt()).isEqualTo(2);
    }
}
