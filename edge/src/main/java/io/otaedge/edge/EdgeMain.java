package io.otaedge.edge;

import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import io.otaedge.common.metrics.ServiceMetrics;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.redis.RedisProbe;
import io.otaedge.edge.admin.AdminConfig;
import io.otaedge.edge.admin.AdminServer;
import io.otaedge.edge.metrics.EdgeMetrics;
import io.otaedge.edge.luatos.LuatosSettings;
import io.otaedge.edge.onenet.OneNetDeviceApiSettings;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar ota-edge.jar}: the edge alone, against an external Redis
 * ({@code OTA_REDIS_URI}, required) and a blob directory ({@code OTA_BLOB_DIR}, default
 * {@code <OTA_DATA_DIR or ./data>/blobs}). Stops gracefully on SIGTERM. Serves {@code /metrics} and
 * health on the admin port ({@code OTA_EDGE_ADMIN_BIND}, {@code OTA_EDGE_ADMIN_PORT}, default 9080) and
 * names itself {@code OTA_EDGE_ID} in {@code ota_edge_up}. With {@code OTA_EDGE_DEVICE_API_URL} it also
 * fronts OneNET's device API (forwarding those calls to control's device port).
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
        AdminConfig adminConfig = AdminConfig.from(settings, AdminConfig.DEFAULT_PORT);
        ServiceMetrics metrics = ServiceMetrics.create();
        RedisConnector redis = RedisConnector.connect(redisUri, RedisConnector.DEFAULT_COMMAND_TIMEOUT, metrics.registry());
        RedisProbe probe = RedisProbe.start(redis, RedisProbe.DEFAULT_INTERVAL);
        EdgeMetrics edgeMetrics = new EdgeMetrics(metrics.registry());
        EdgeServer edge;
        AdminServer admin;
        try {
            LuatosSettings luatos = LuatosSettings.from(settings);
            edge = new EdgeServer(config, EdgeDependencies.redis(redis, new BlobStore(blobDir))
                    .metrics(edgeMetrics)
                    .luatos(luatos.decisions(), luatos.path())
                    .deviceApi(OneNetDeviceApiSettings.from(settings).deviceApi())
                    .build())
                    .start();
            edgeMetrics.up(settings.string("OTA_EDGE_ID", "edge"));
            admin = AdminServer.forEdge(adminConfig, metrics, edge::listening, probe).start();
        } catch (RuntimeException e) {
            probe.close();
            redis.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // The admin port stays up while downloads drain, answering ready=503 meanwhile.
            edge.close();
            admin.close();
            probe.close();
            redis.close();
            metrics.close();
            stopped.countDown();
        }, "ota-edge-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
