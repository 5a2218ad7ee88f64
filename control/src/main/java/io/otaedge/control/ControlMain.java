package io.otaedge.control;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import io.otaedge.common.redis.RedisConnector;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar ota-control.jar}: the control service alone, against an external Redis
 * ({@code OTA_REDIS_URI}, required) with blobs in {@code OTA_BLOB_DIR} (default
 * {@code <OTA_DATA_DIR or ./data>/blobs}). Stops cleanly on SIGTERM.
 */
public final class ControlMain {

    private ControlMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        quietLogging();
        Settings settings = Settings.fromEnvironment();
        ControlServer server;
        RedisConnector redis;
        try {
            ControlConfig config = ControlConfig.from(settings);
            String redisUri = settings.get("OTA_REDIS_URI")
                    .orElseThrow(() -> new ConfigException("OTA_REDIS_URI is required: the Redis the control service keeps its state in"));
            String dataDir = settings.string("OTA_DATA_DIR", "data");
            BlobStore blobs = new BlobStore(settings.path("OTA_BLOB_DIR", dataDir + "/blobs"));
            redis = RedisConnector.connect(redisUri);
            server = new ControlServer(config, io.otaedge.control.dialect.DialectConfig.from(settings), redis, blobs).start();
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        ControlServer s = server;
        RedisConnector r = redis;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            s.close();
            r.close();
            stopped.countDown();
        }, "control-stop"));
        stopped.await();
    }

    /** Without a logging config logback logs DEBUG from every library; a service wants INFO. */
    private static void quietLogging() {
        if (ControlMain.class.getClassLoader().getResource("logback.xml") == null
                && LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(Level.INFO);
        }
    }
}
