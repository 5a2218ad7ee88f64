package io.otaedge.control;

import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.metrics.ServiceMetrics;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.redis.RedisProbe;
import io.otaedge.control.admin.AdminRoutes;
import io.otaedge.control.dialect.Dialect;
import io.otaedge.control.dialect.onenet.OneNetCheckHandler;
import io.otaedge.control.internal.InternalRoutes;
import io.otaedge.control.limits.ThrottledLog;
import io.otaedge.control.metrics.ControlMetrics;
import io.otaedge.control.metrics.HealthRoutes;
import io.otaedge.control.metrics.TaskGauges;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.progress.ServedBytesFold;
import io.otaedge.control.progress.TimeoutSweep;
import io.otaedge.control.cache.CatalogChanges;
import io.otaedge.control.migration.DeviceBucketMigration;
import io.otaedge.control.migration.DeviceIndexBackfill;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.admin.AdminPortGuard;
import io.otaedge.control.ratelimit.AuthFailures;
import io.otaedge.control.ratelimit.DeviceRateLimiter;
import io.otaedge.control.ratelimit.RateLimits;
import io.otaedge.control.tls.ControlTls;
import java.util.List;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.DisposableServer;

/**
 * The control service: the device-facing port ({@link DevicePort}: dialect adapters) and the operator port
 * ({@link AdminPort}: admin API), two reactor-netty servers over one set of repositories and one decision engine.
 * {@link ControlCore} builds that core once; this class owns the lifecycle: the re-key at start, the event loops, the Redis probe
 * and task gauges, binding both ports (nothing stays bound on failure), and the graceful close.
 */
public final class ControlServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    /** How stale the edge registry may be when a device is handed an edge address. */
    static final Duration EDGE_DIRECTORY_REFRESH = Duration.ofSeconds(1);
    /** At most one log line per kind of client mistake (or server error) this often. */
    static final Duration LOG_THROTTLE = Duration.ofSeconds(10);

    private final ControlConfig config;
    private final List<Dialect> dialects;
    private final AdminRoutes admin;
    private final RedisConnector redis;
    private final ServiceMetrics serviceMetrics;
    private final boolean ownsMetrics;
    private final ControlMetrics metrics;
    private final TaskRepository tasks;
    private Duration taskMetricsInterval = TaskGauges.DEFAULT_INTERVAL;
    private TaskGauges taskGauges;
    private ServedBytesFold servedFold;
    private TimeoutSweep timeoutSweep;
    /** Other instances' catalog writes, heard at once (null when the catalog cache is off). */
    private final CatalogChanges catalogChanges;
    private final HealthRoutes health;
    private volatile RedisProbe probe;
    private volatile boolean serving;
    /** Null when {@code OTA_INTERNAL_SECRET} is unset: then edges can neither pull blobs nor ask for decisions here. */
    private final InternalRoutes internal;
    private final DeviceProgressService progress;
    private DisposableServer deviceServer;
    private DisposableServer adminServer;
    private final DeviceRateLimiter limiter;
    private final AuthFailures authFailures;
    private RateLimits rateLimits = RateLimits.DEFAULTS;
    private ControlTls tls = ControlTls.OFF;
    /** Both ports and their event loops; made at start, closed at close. */
    private ControlPorts ports;

    /** A control service with its own metrics registry. */
    public ControlServer(ControlConfig config, RedisConnector redis, BlobStore blobs) {
        this(config, redis, blobs, ServiceMetrics.create(), true);
    }

    /** A control service exporting its meters to {@code metrics} (which the caller closes). */
    public ControlServer(ControlConfig config, RedisConnector redis, BlobStore blobs, ServiceMetrics metrics) {
        this(config, redis, blobs, metrics, false);
    }

    private ControlServer(ControlConfig config, RedisConnector redis, BlobStore blobs,
                          ServiceMetrics serviceMetrics, boolean ownsMetrics) {
        this.config = config;
        this.redis = redis;
        this.serviceMetrics = serviceMetrics;
        this.ownsMetrics = ownsMetrics;
        this.metrics = new ControlMetrics(serviceMetrics.registry());
        this.health = new HealthRoutes(serviceMetrics, this::ready);
        this.limiter = new DeviceRateLimiter(rateLimits, serviceMetrics.registry());
        this.authFailures = new AuthFailures(rateLimits, serviceMetrics.registry());
        this.catalogChanges = config.catalogCacheTtl().isZero() ? null : CatalogChanges.subscribe(redis);
        ControlCore core = ControlCore.build(config, redis, blobs, metrics, limiter, catalogChanges);
        this.dialects = core.dialects();
        this.admin = core.admin();
        this.tasks = core.tasks();
        this.progress = core.progress();
        this.internal = core.internal();
    }

    /** Binds both ports; on failure nothing stays bound. */
    public synchronized ControlServer start() {
        if (deviceServer != null) {
            throw new IllegalStateException("already started");
        }
        try {
            // Device data from before the device buckets is re-keyed before any port opens (one GET once done).
            new DeviceBucketMigration(redis).migrateIfNeeded();
            // Devices stored before the device index are put in it, once per Redis (the admin device listing's).
            new DeviceIndexBackfill(redis).backfillIfNeeded();
            ports = new ControlPorts(config.eventLoops(), config.limits(), serviceMetrics.registry(),
                    new ThrottledLog(log, LOG_THROTTLE), config.accessLog());
            probe = RedisProbe.start(redis, RedisProbe.DEFAULT_INTERVAL);
            taskGauges = new TaskGauges(metrics, redis.async(), tasks, taskMetricsInterval).start();
            // Reads only show a served device as DOWNLOADING; this job records it, on the gauges' interval.
            servedFold = new ServedBytesFold(redis.async(), tasks, progress, taskMetricsInterval, metrics::redisError).start();
            // A stage's soak ends with nobody reporting: its success criteria are judged on the same interval too.
            progress.stageSuccess().start(taskMetricsInterval, metrics::redisError);
            // Timeouts counted by abort criteria or a retry policy are recorded as failures, on the same interval.
            timeoutSweep = new TimeoutSweep(redis.async(), tasks, progress, taskMetricsInterval, metrics::redisError).start();
            deviceServer = DevicePort.bind(ports, config, dialects, limiter, rateLimits.trustedProxies(),
                    metrics.httpStatus("device"), tls.device().serverContext());
            adminServer = AdminPort.bind(ports, config, dialects, admin.guard(config.internalSecret(), authFailures, rateLimits.trustedProxies()), metrics.httpStatus("admin"), tls.admin().serverContext(), health,
                    internal, admin);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        serving = true;
        log.info("control listening: devices on {}:{}{}, admin on {}:{}{} ({} transport)", config.deviceBind(), devicePort(),
                tls.device().enabled() ? " (TLS)" : "", config.adminBind(), adminPort(), tls.admin().enabled() ? " (TLS)" : "",
                ports.transport());
        if (!OneNetCheckHandler.isIpAddress(config.edgePublicIpAddress())) {
            log.warn("{} is not an IP address ({}): OneNET devices that check with cdn=false cannot resolve it; "
                    + "set OTA_EDGE_PUBLIC_IP_ADDRESS to the edge's ip:port", ControlConfig.EDGE_PUBLIC_IP_ADDRESS,
                    config.edgePublicIpAddress());
        }
        return this;
    }

    /** The device-API rate limits and the admin port's failed-key limit ({@link RateLimits#from}); call before {@link #start()}. */
    public synchronized ControlServer rateLimits(RateLimits limits) {
        if (deviceServer != null) {
            throw new IllegalStateException("already started");
        }
        this.rateLimits = limits;
        limiter.configure(limits);
        authFailures.configure(limits);
        return this;
    }

    /** TLS for either port ({@link ControlTls#from}); call before {@link #start()}. */
    public synchronized ControlServer tls(ControlTls tls) {
        if (deviceServer != null) {
            throw new IllegalStateException("already started");
        }
        this.tls = tls;
        return this;
    }

    /**
     * How often the task gauges are re-read from Redis and served bytes folded into device states
     * ({@code OTA_TASK_METRICS_INTERVAL}); call before {@link #start()}.
     */
    public synchronized ControlServer taskMetricsInterval(Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            throw new io.otaedge.common.config.ConfigException("OTA_TASK_METRICS_INTERVAL", interval.toString(),
                    "a positive ISO-8601 duration");
        }
        this.taskMetricsInterval = interval;
        return this;
    }

    /** Ready while both ports listen and Redis answered recently (/health/ready). */
    public boolean ready() {
        RedisProbe p = probe;
        return serving && p != null && p.healthy();
    }

    /** The product meters, for dialect handlers built outside this class. */
    public ControlMetrics metrics() {
        return metrics;
    }

    /** The dialect-free progress service (state machine) the dialects report into. */
    public DeviceProgressService progress() {
        return progress;
    }

    public int devicePort() {
        return port(deviceServer);
    }

    /** The socket transport the ports run on ({@code epoll}, {@code nio}, …; see {@link ControlPorts#transport}). */
    public String transport() {
        ControlPorts p = ports;
        return p == null ? "none" : p.transport();
    }

    /** The admin API's routing table (every operator endpoint, the dialects' included), e.g. to check its documentation. */
    public AdminRoutes adminRoutes() {
        return admin;
    }

    /** The edge → control endpoints on the admin port ({@code /internal/…}); null when {@code OTA_INTERNAL_SECRET} is unset. */
    public InternalRoutes internalRoutes() {
        return internal;
    }

    public int adminPort() {
        return port(adminServer);
    }

    private static int port(DisposableServer server) {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.port();
    }

    @Override
    public synchronized void close() {
        serving = false;
        if (ports != null) {
            ports.close();
            ports = null;
            deviceServer = null;
            adminServer = null;
        }
        if (taskGauges != null) {
            taskGauges.close();
        }
        if (servedFold != null) {
            servedFold.close();
            progress.stageSuccess().close();
        }
        if (timeoutSweep != null) {
            timeoutSweep.close();
        }
        if (catalogChanges != null) {
            catalogChanges.close();
        }
        if (probe != null) {
            probe.close();
            probe = null;
        }
        if (ownsMetrics) {
            serviceMetrics.close();
        }
    }
}
