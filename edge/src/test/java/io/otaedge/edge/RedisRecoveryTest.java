package io.otaedge.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.blob.BlobInfo;
import io.otaedge.common.redis.LocalRedisServer;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.token.TokenStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redis goes away and comes back on the same port: 503 + Retry-After meanwhile, recovery without restart. */
class RedisRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void edgeAnswers503WhileRedisIsDownAndRecoversByItself() throws Exception {
        Path redisDir = dir.resolve("redis");
        LocalRedisServer redis = LocalRedisServer.start(redisDir);
        int redisPort = redis.port();
        RedisConnector connector = RedisConnector.connect(redis.uri());
        TokenStore tokens = new TokenStore(connector.async());
        EdgeFixture edge = EdgeFixture.start(dir, Map.of("OTA_EDGE_TOKEN_CACHE_TTL", "PT60S", "OTA_EDGE_RETRY_AFTER", "PT7S"),
                tokens, tokens::find);
        try {
            BlobInfo blob = edge.storeBlob(EdgeFixture.randomBytes(4096, 4));
            String cached = edge.grant(blob, "fw.bin", Duration.ofMinutes(5));
            String uncached = edge.grant(blob, "fw.bin", Duration.ofMinutes(5));
            assertThat(get(edge, cached).status()).isEqualTo(206);

            redis.close();
            RawHttp.Response down = get(edge, uncached);
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.headerLines()).contains("Retry-After: 7");
            assertThat(down.bodyText()).isEqualTo("{\"error\":\"unavailable\",\"message\":\"the token store is unavailable; retry later\"}");
            // A grant already in the local cache keeps being served while Redis is away.
            assertThat(get(edge, cached).status()).isEqualTo(206);

            redis = LocalRedisServer.start(redisDir, redisPort);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int status;
            do {
                status = get(edge, uncached).status();
                if (status != 206) {
                    java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
                }
            } while (status != 206 && System.nanoTime() < deadline);
            assertThat(status).isEqualTo(206);
        } finally {
            edge.close();
            connector.close();
            redis.close();
        }
    }

    private static RawHttp.Response get(EdgeFixture edge, String token) throws Exception {
        try (RawHttp c = new RawHttp(edge.port())) {
            return c.send("GET /ota/download/" + token + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\n\r\n").read();
        }
    }
}
