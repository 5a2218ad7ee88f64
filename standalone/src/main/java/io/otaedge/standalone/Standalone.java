package io.otaedge.standalone;

import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import io.otaedge.common.metrics.ServiceMetrics;
import io.otaedge.common.redis.LocalRedisServer;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.redis.RedisProbe;
import io.otaedge.control.ControlConfig;
import io.otaedge.control.ControlServer;
import io.otaedge.control.metrics.TaskGauges;
import io.otaedge.control.ratelimit.RateLimits;
import io.otaedge.control.tls.ControlTls;
import io.otaedge.edge.EdgeConfig;
import io.otaedge.edge.EdgeDependencies;
import io.otaedge.edge.EdgeServer;
import io.otaedge.edge.admin.AdminConfig;
import io.otaedge.edge.admin.AdminServer;
import io.otaedge.edge.control.ControlHttpClient;
import io.otaedge.edge.luatos.ControlDecisionClient;
import io.otaedge.edge.luatos.LuatosSettings;
import io.otaedge.edge.metrics.EdgeMetrics;
import io.otaedge.edge.onenet.OneNetDeviceApi;
import io.otaedge.edge.onenet.OneNetDeviceApiSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Redis (embedded unless {@code OTA_REDIS_URI} names one), the control service and the edge in one
 * process, wired to one Redis and one blob directory. The edge fronts OneNET's device API (forwarding
 * it to this control's device port, or to {@code OTA_EDGE_DEVICE_API_URL} when set), so a OneNET device
 * needs only the edge's address. Needs no configuration: everything binds to
 * loopback, data goes to {@code ./data}, and the admin key is generated once and kept there.
 */
public final class Standalone implements AutoCloseable {

    public static final String DATA_DIR = "OTA_DATA_DIR";
    public static final String REDIS_URI = "OTA_REDIS_URI";
    /** The standalone's default edge admin port (the edge alone uses 9080). */
    public static final int EDGE_ADMIN_PORT = 8083;

    private final Path dataDir;
    private final LocalRedisServer embeddedRedis;
    private final RedisConnector redis;
    private final EdgeServer edge;
    private final ControlServer control;
    private final String adminKey;
    private final String edgePublicAddress;
    private final String redisUri;
    private final Observability observability;

    private Standalone(Path dataDir, LocalRedisServer embeddedRedis, String redisUri, RedisConnector redis,
                       EdgeServer edge, ControlServer control, String adminKey, String edgePublicAddress,
                       Observability observability) {
        this.observability = observability;
        this.dataDir = dataDir;
        this.embeddedRedis = embeddedRedis;
        this.redisUri = redisUri;
        this.redis = redis;
        this.edge = edge;
        this.control = control;
        this.adminKey = adminKey;
        this.edgePublicAddress = edgePublicAddress;
    }

    /** Starts every part; on failure stops what had started and rethrows. */
    public static Standalone start(Settings given) {
        Path dataDir = given.path(DATA_DIR, "data");
        Map<String, String> defaults = new HashMap<>();
        // Loopback unless told otherwise: a quickstart must not open ports to the network.
        defaults.put("OTA_EDGE_BIND", given.string("OTA_EDGE_BIND", "127.0.0.1"));
        defaults.put("OTA_CONTROL_BIND", given.string("OTA_CONTROL_BIND", "127.0.0.1"));
        defaults.put("OTA_ADMIN_BIND", given.string("OTA_ADMIN_BIND", "127.0.0.1"));
        defaults.put("OTA_EDGE_ADMIN_BIND", given.string("OTA_EDGE_ADMIN_BIND", "127.0.0.1"));
        defaults.put("OTA_ADMIN_KEY", given.get("OTA_ADMIN_KEY").orElseGet(() -> AdminKeyFile.loadOrCreate(dataDir)));
        // The edge asks control for LuatOS decisions inside this process: a fresh secret unless one is given.
        defaults.put("OTA_INTERNAL_SECRET", given.get("OTA_INTERNAL_SECRET").orElseGet(() -> java.util.UUID.randomUUID().toString()));
        Settings settings = given.with(defaults);

        if (ControlTls.from(settings).any()) {
            // The edge inside this process calls control's ports over plain HTTP (LuatOS decisions, OneNET's API).
            throw new ConfigException(ControlTls.DEVICE_CERT + " and " + ControlTls.ADMIN_CERT
                    + " are for a separately run control service; the standalone's devices reach it through the edge: "
                    + "set OTA_EDGE_TLS_CERT/OTA_EDGE_TLS_KEY instead");
        }
        LocalRedisServer embedded = null;
        RedisConnector redis = null;
        EdgeServer edge = null;
        ControlServer control = null;
        Observability obs = new Observability();
        try {
            Optional<String> external = settings.get(REDIS_URI);
            if (external.isEmpty()) {
                embedded = LocalRedisServer.start(dataDir.resolve("redis"));
            }
            String redisUri = external.orElse(embedded == null ? null : embedded.uri());
            // One Redis connection serves both; its Lettuce latency meters appear on the edge's /metrics.
            redis = RedisConnector.connect(redisUri, RedisConnector.DEFAULT_COMMAND_TIMEOUT, obs.edgeMetrics.registry());
            BlobStore blobs = new BlobStore(settings.path("OTA_BLOB_DIR", dataDir.resolve("blobs").toString()));

            // The edge starts first: the control service hands its address to devices.
            EdgeMetrics edgeMeters = new EdgeMetrics(obs.edgeMetrics.registry());
            // LuatOS devices ask the edge, which asks control (started below) for the decision.
            AtomicReference<ControlServer> started = new AtomicReference<>();
            String adminBind = settings.string("OTA_ADMIN_BIND", "127.0.0.1");
            String adminHost = loopbackFor(adminBind);
            LuatosSettings luatos = LuatosSettings.from(settings);
            // OneNET devices call one host for everything: the edge forwards their API calls to this control.
            String controlHost = loopbackFor(settings.string("OTA_CONTROL_BIND", "127.0.0.1"));
            OneNetDeviceApiSettings oneNet = OneNetDeviceApiSettings.from(settings);
            Supplier<URI> controlDevicePort = oneNet.enabled() ? oneNet::controlDeviceUrl
                    : () -> URI.create("http://" + controlHost + ":" + started.get().devicePort());
            edge = new EdgeServer(EdgeConfig.from(settings), EdgeDependencies.redis(redis, blobs)
                    .metrics(edgeMeters)
                    .luatos(new ControlDecisionClient(() -> URI.create("http://" + adminHost + ":" + started.get().adminPort()),
                            settings.get("OTA_INTERNAL_SECRET").orElseThrow(), luatos.timeout()), luatos.path())
                    .deviceApi(new OneNetDeviceApi(new ControlHttpClient(controlDevicePort, oneNet.timeout())))
                    .build())
                    .start();
            String bind = settings.string("OTA_EDGE_BIND", "127.0.0.1");
            String host = "0.0.0.0".equals(bind) || "::".equals(bind) ? "127.0.0.1" : bind;
            String edgeAddress = settings.string("OTA_EDGE_PUBLIC_ADDRESS", host + ":" + edge.port());
            edge.advertiseAs(edgeAddress);
            Settings controlSettings = settings.with(Map.of("OTA_EDGE_PUBLIC_ADDRESS", edgeAddress));
            edgeMeters.up(settings.string("OTA_EDGE_ID", edgeAddress));
            control = new ControlServer(ControlConfig.from(controlSettings), redis, blobs, obs.controlMetrics)
                    .taskMetricsInterval(settings.duration("OTA_TASK_METRICS_INTERVAL", TaskGauges.DEFAULT_INTERVAL))
                    .rateLimits(RateLimits.from(settings))
                    .start();
            started.set(control);
            obs.startEdgeAdmin(AdminConfig.from(settings, EDGE_ADMIN_PORT), redis, edge);
            return new Standalone(dataDir, embedded, redisUri, redis, edge, control,
                    settings.string("OTA_ADMIN_KEY", ""), edgeAddress, obs);
        } catch (RuntimeException e) {
            closeQuietly(obs);
            closeQuietly(control);
            closeQuietly(edge);
            closeQuietly(redis);
            closeQuietly(embedded);
            throw e;
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    public int edgePort() {
        return edge.port();
    }

    public int devicePort() {
        return control.devicePort();
    }

    public int adminPort() {
        return control.adminPort();
    }

    /** The edge's admin port: /metrics, /health/live, /health/ready (the control's are on {@link #adminPort()}). */
    public int edgeAdminPort() {
        return observability.edgeAdmin.port();
    }

    /** The transport control's ports run on (see {@link ControlServer#transport()}). */
    public String controlTransport() {
        return control.transport();
    }

    public String adminKey() {
        return adminKey;
    }

    public String edgePublicAddress() {
        return edgePublicAddress;
    }

    public String redisUri() {
        return redisUri;
    }

    public boolean redisIsEmbedded() {
        return embeddedRedis != null;
    }

    /** Stops the edge and control (letting them finish in-flight work), then Redis. */
    @Override
    public void close() {
        closeQuietly(edge);
        closeQuietly(control);
        closeQuietly(observability);
        closeQuietly(redis);
        closeQuietly(embeddedRedis);
    }

    /** Both services' registries and the edge's admin listener, which the standalone owns. */
    private static final class Observability implements AutoCloseable {
        final ServiceMetrics edgeMetrics = ServiceMetrics.create();
        final ServiceMetrics controlMetrics = ServiceMetrics.create();
        RedisProbe probe;
        AdminServer edgeAdmin;

        void startEdgeAdmin(AdminConfig config, RedisConnector redis, EdgeServer edge) {
            probe = RedisProbe.start(redis, RedisProbe.DEFAULT_INTERVAL);
            edgeAdmin = AdminServer.forEdge(config, edgeMetrics, edge::listening, probe).start();
        }

        @Override
        public void close() {
            closeQuietly(edgeAdmin);
            closeQuietly(probe);
            closeQuietly(edgeMetrics);
            closeQuietly(controlMetrics);
        }
    }

    /** How this process reaches its own listener bound to {@code bind}. */
    private static String loopbackFor(String bind) {
        return "0.0.0.0".equals(bind) || "::".equals(bind) ? "127.0.0.1" : bind.contains(":") ? "[" + bind + "]" : bind;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // shutting down: the other parts must still stop
        }
    }
}
