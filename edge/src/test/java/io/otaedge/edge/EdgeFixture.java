package io.otaedge.edge;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.blob.BlobInfo;
import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.blob.BlobWriter;
import io.otaedge.common.config.Settings;
import io.otaedge.common.redis.TestRedis;
import io.otaedge.common.token.DownloadToken;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.common.token.TokenStore;
import io.otaedge.edge.metrics.EdgeMetrics;
import io.otaedge.edge.token.TokenResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import io.otaedge.edge.route.DeviceApi;

/** A started edge on loopback with a temp blob store and the test JVM's real Redis. */
public final class EdgeFixture implements AutoCloseable {

    public final BlobStore blobs;
    public final TokenStore tokens;
    public final EdgeServer edge;

    private EdgeFixture(BlobStore blobs, TokenStore tokens, EdgeServer edge) {
        this.blobs = blobs;
        this.tokens = tokens;
        this.edge = edge;
    }

    public static EdgeFixture start(Path dir) {
        return start(dir, Map.of());
    }

    public static EdgeFixture start(Path dir, Map<String, String> settings) {
        TokenStore tokens = new TokenStore(TestRedis.connector().async());
        return start(dir, settings, tokens, tokens::find, TestRedis.connector().async());
    }

    public static EdgeFixture start(Path dir, Map<String, String> settings, TokenStore tokens, TokenResolver resolver) {
        return start(dir, settings, tokens, resolver, EdgeMetrics.unregistered(), null);
    }

    /** An edge whose meters go to {@code metrics}. */
    public static EdgeFixture start(Path dir, Map<String, String> settings, TokenStore tokens, TokenResolver resolver,
                                    EdgeMetrics metrics) {
        return start(dir, settings, tokens, resolver, metrics, null);
    }

    /** With {@code fleetRedis} the edge counts progress and registers itself there (null: neither). */
    public static EdgeFixture start(Path dir, Map<String, String> settings, TokenStore tokens, TokenResolver resolver,
                                    RedisClusterAsyncCommands<String, String> fleetRedis) {
        return start(dir, settings, tokens, resolver, EdgeMetrics.unregistered(), fleetRedis);
    }

    public static EdgeFixture start(Path dir, Map<String, String> settings, TokenStore tokens, TokenResolver resolver,
                                    EdgeMetrics metrics, RedisClusterAsyncCommands<String, String> fleetRedis) {
        return start(dir, settings, tokens, resolver, metrics, fleetRedis, null);
    }

    /** An edge fronting {@code deviceApi} (OneNET's API paths), with the test JVM's real Redis for tokens. */
    public static EdgeFixture fronting(Path dir, Map<String, String> settings, DeviceApi deviceApi) {
        TokenStore tokens = new TokenStore(TestRedis.connector().async());
        return start(dir, settings, tokens, tokens::find, EdgeMetrics.unregistered(), null, deviceApi);
    }

    private static EdgeFixture start(Path dir, Map<String, String> settings, TokenStore tokens, TokenResolver resolver,
                                     EdgeMetrics metrics, RedisClusterAsyncCommands<String, String> fleetRedis,
                                     DeviceApi deviceApi) {
        Map<String, String> env = new HashMap<>(Map.of("OTA_EDGE_BIND", "127.0.0.1", "OTA_EDGE_PORT", "0",
                "OTA_EDGE_SHUTDOWN_GRACE", "PT2S"));
        env.putAll(settings);
        BlobStore blobs = new BlobStore(dir.resolve("blobs"));
        EdgeServer edge = new EdgeServer(EdgeConfig.from(Settings.from(env)), EdgeDependencies.builder(resolver, blobs)
                .metrics(metrics).fleet(fleetRedis).deviceApi(deviceApi).build()).start();
        return new EdgeFixture(blobs, tokens, edge);
    }

    public int port() {
        return edge.port();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    public static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    public BlobInfo storeBlob(byte[] data) {
        try (BlobWriter w = blobs.newWriter(Long.MAX_VALUE)) {
            w.write(ByteBuffer.wrap(data));
            return w.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves a new token for the blob and returns it. */
    public String grant(BlobInfo blob, String fileName, Duration ttl) {
        return grant(blob, fileName, ttl, "p1", "task-1", "dev-1");
    }

    /** Saves a new token for the blob, issued to a device of the caller's choosing, and returns it. */
    public String grant(BlobInfo blob, String fileName, Duration ttl, String productId, String taskId, String deviceId) {
        return grant(blob, fileName, ttl, productId, taskId, deviceId, null);
    }

    /** As above, for a device that reported {@code signal} at its check (null: none). */
    public String grant(BlobInfo blob, String fileName, Duration ttl, String productId, String taskId, String deviceId,
                        Integer signal) {
        String token = DownloadToken.generate();
        long now = System.currentTimeMillis();
        TokenGrant g = new TokenGrant(token, productId, "fw-" + blob.sha256().substring(0, 8), blob.sha256(), blob.md5(),
                blob.size(), fileName, "1.2.0", deviceId, taskId, now, now + ttl.toMillis(), signal);
        if (!tokens.save(g, ttl).toCompletableFuture().join()) {
            throw new IllegalStateException("token clash");
        }
        return token;
    }

    @Override
    public void close() {
        edge.close();
    }
}
