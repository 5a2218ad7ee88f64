package io.otaedge.edge;

import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.token.TokenStore;
import io.otaedge.edge.luatos.LuatosSettings;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar ota-edge.jar}: the edge alone, against an external Redis
 * ({@code OTA_REDIS_URI}, required) and a blob directory ({@code OTA_BLOB_DIR}, default
 * {@code <OTA_DATA_DIR or ./data>/blobs}). Stops gracefully on SIGTERM.
 */
public final class EdgeMain {

    private EdgeMain() {
    }

    public static void main(String[] args) {
        try {
            run(Settings.fromEnvironment());
        } catch (ConfigException e) {
            System.err.println("ota-edge: " + e.getMessage());
            System.exit(2);
        }
    }

    static void run(Settings settings) {
        String redisUri = settings.get("OTA_REDIS_URI").orElseThrow(() -> new ConfigException(
                "OTA_REDIS_URI is required: the edge reads download tokens from Redis (e.g. redis://127.0.0.1:6379)"));
        Path dataDir = settings.path("OTA_DATA_DIR", "./data");
        Path blobDir = settings.path("OTA_BLOB_DIR", dataDir.resolve("blobs").toString());
        EdgeConfig config = EdgeConfig.from(settings);
        RedisConnector redis = RedisConnector.connect(redisUri);
        EdgeServer edge;
        try {
            LuatosSettings luatos = LuatosSettings.from(settings);
            edge = new EdgeServer(config, new TokenStore(redis.async()), new BlobStore(blobDir), luatos.decisions(),
                    luatos.path()).start();
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            edge.close();
            redis.close();
            stopped.countDown();
        }, "ota-edge-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
