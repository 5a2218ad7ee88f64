package io.otaedge.control;

import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import io.otaedge.common.metrics.ServiceMetrics;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.control.auth.AdminKeyPolicy;
import io.otaedge.control.metrics.TaskGauges;
import io.otaedge.control.ratelimit.RateLimits;
import io.otaedge.control.tls.ControlTls;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar ota-control.jar}: the control service alone, against an external Redis
 * ({@code OTA_REDIS_URI}, required) with blobs in {@code OTA_BLOB_DIR} (default
 * {@code <OTA_DATA_DIR or ./data>/blobs}). Stops cleanly on SIGTERM.
 */
public final class ControlMain {

    private ControlMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Settings settings = Settings.fromEnvironment();
        ControlServer server;
        RedisConnector redis;
        ServiceMetrics metrics;
        try {
            ControlConfig config = ControlConfig.from(settings);
            AdminKeyPolicy.check(config.adminKey());
            String redisUri = settings.get("OTA_REDIS_URI")
                    .orElseThrow(() -> new ConfigException("OTA_REDIS_URI is required: the Redis the control service keeps its state in"));
            String dataDir = settings.string("OTA_DATA_DIR", "data");
            BlobStore blobs = new BlobStore(settings.path("OTA_BLOB_DIR", dataDir + "/blobs"));
            metrics = ServiceMetrics.create();
            redis = RedisConnector.connect(redisUri, RedisConnector.DEFAULT_COMMAND_TIMEOUT, metrics.registry());
            server = new ControlServer(config, redis, blobs, metrics)
                    .taskMetricsInterval(settings.duration("OTA_TASK_METRICS_INTERVAL", TaskGauges.DEFAULT_INTERVAL))
                    .rateLimits(RateLimits.from(settings))
                    .tls(ControlTls.from(settings))
                    .start();
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        ControlServer s = server;
        RedisConnector r = redis;
        ServiceMetrics m = metrics;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            s.close();
            r.close();
            m.close();
            stopped.countDown();
        }, "control-stop"));
        stopped.await();
    }

    /** Without a logging config logback logs DEBUG from every library; a service wants INFO. */
}
