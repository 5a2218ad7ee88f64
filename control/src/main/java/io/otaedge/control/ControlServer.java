package io.otaedge.control;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.metrics.ServiceMetrics;
import io.otaedge.common.fleet.EdgeRegistry;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.redis.RedisProbe;
import io.otaedge.common.redis.ReplicaAck;
import io.otaedge.common.token.TokenStore;
import io.otaedge.control.admin.AdminRoutes;
import io.otaedge.control.admin.DeviceAdmin;
import io.otaedge.control.admin.FirmwareAdmin;
import io.otaedge.control.admin.ProductAdmin;
import io.otaedge.control.admin.TaskAdmin;
import io.otaedge.control.admin.TaskLifecycleAdmin;
import io.otaedge.control.admin.TokenAdmin;
import io.otaedge.control.cache.ReadCache;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.catalog.FirmwareUploader;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.dialect.Dialect;
import io.otaedge.control.dialect.DialectServices;
import io.otaedge.control.dialect.onenet.OneNetCheckHandler;
import io.otaedge.control.edge.EdgeDirectory;
import io.otaedge.control.engine.DeviceCheckService;
import io.otaedge.control.engine.UpgradeDecisionEngine;
import io.otaedge.control.http.CanonicalHeaderCase;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.internal.InternalEndpoint;
import io.otaedge.control.internal.InternalRoutes;
import io.otaedge.control.limits.ControlLimits;
import io.otaedge.control.limits.GateReplies;
import io.otaedge.control.limits.PortGuard;
import io.otaedge.control.limits.ThrottledLog;
import io.otaedge.control.metrics.ControlMetrics;
import io.otaedge.control.metrics.HealthRoutes;
import io.otaedge.control.metrics.HttpStatusMeter;
import io.otaedge.control.metrics.TaskGauges;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.migration.DeviceBucketMigration;
import io.otaedge.control.task.TaskFactory;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.token.TokenIssuer;
import io.netty.handler.ssl.SslContext;
import io.otaedge.control.admin.AdminPortGuard;
import io.otaedge.control.ratelimit.AuthFailures;
import io.otaedge.control.ratelimit.DeviceApiLimits;
import io.otaedge.control.ratelimit.DeviceRateLimiter;
import io.otaedge.control.ratelimit.RateLimits;
import io.otaedge.control.tls.ControlTls;
import java.time.Clock;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRoutes;
import reactor.netty.resources.LoopResources;

/**
 * The control service: the device-facing port (dialect adapters) and the operator port (admin API),
 * two reactor-netty servers over one set of repositories and one decision engine.
 */
public final class ControlServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    /** How stale the edge registry may be when a device is handed an edge address. */
    private static final Duration EDGE_DIRECTORY_REFRESH = Duration.ofSeconds(1);
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
    /** Both ports' event loops, sized by {@code OTA_CONTROL_IO_THREADS}; made at start, disposed at close. */
    private LoopResources loops;

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
        Clock clock = Clock.systemUTC();
        RedisClusterAsyncCommands<String, String> r = redis.async();
        TokenStore tokenStore = new TokenStore(r);
        ReadCache.Policy catalogCache = new ReadCache.Policy(config.catalogCacheTtl());
        ProductRepository products = new ProductRepository(r, catalogCache);
        FirmwareRepository firmwares = new FirmwareRepository(r, catalogCache);
        TaskRepository tasks = new TaskRepository(r, catalogCache);
        DeviceRepository devices = new DeviceRepository(r);

        DownloadProgressStore served = new DownloadProgressStore(r);
        this.progress = new DeviceProgressService(r, tasks, devices, firmwares, config.upgradeTimeout(), clock, served);
        TokenIssuer tokenIssuer = new TokenIssuer(r, tokenStore, config.tokenTtl(), clock, metrics::tokenIssued);
        DeviceCheckService checks = new DeviceCheckService(devices, new UpgradeDecisionEngine(tasks, firmwares, clock),
                tokenIssuer, clock, progress);
        EdgeDirectory edges = new EdgeDirectory(new EdgeRegistry(r), config.edgePublicAddress(), EDGE_DIRECTORY_REFRESH);
        this.tasks = tasks;
        this.dialects = Dialects.of(config, new DialectServices(r, products, firmwares, tasks, devices, tokenStore, checks,
                progress, edges, limiter, metrics, clock));
        dialects.forEach(d -> limiter.register(d.name()));

        this.internal = config.internalSecret() == null ? null : new InternalRoutes(config.internalSecret(), blobs,
                dialects.stream().flatMap(d -> d.internalEndpoints().stream()).toList());
        int maxBody = config.maxJsonBodySize();
        this.admin = new AdminRoutes(config.adminKey(),
                new ProductAdmin(products, maxBody),
                new FirmwareAdmin(products, firmwares, new FirmwareUploader(blobs, config.maxFirmwareSize()), clock, maxBody,
                        metrics),
                new TaskLifecycleAdmin(products, firmwares, tasks, new TaskFactory(clock), maxBody),
                new TaskAdmin(tasks, progress, served),
                new DeviceAdmin(devices, progress),
                new TokenAdmin(tokenIssuer))
                .countingRedisErrors(metrics::redisError)
                .waitingForReplicas(new ReplicaAck(redis));
        dialects.forEach(d -> admin.with(d.admin()));
    }

    /** Binds both ports; on failure nothing stays bound. */
    public synchronized ControlServer start() {
        if (deviceServer != null) {
            throw new IllegalStateException("already started");
        }
        try {
            // Device data from before the device buckets is re-keyed before any port opens (one GET once done).
            new DeviceBucketMigration(redis).migrateIfNeeded();
            loops = LoopResources.create("ota-control", config.eventLoops(), true);
            probe = RedisProbe.start(redis, RedisProbe.DEFAULT_INTERVAL);
            taskGauges = new TaskGauges(metrics, redis.async(), tasks, taskMetricsInterval).start();
            List<DeviceApiLimits.Rule> rules = dialects.stream().flatMap(d -> d.limitRule().stream()).toList();
            DeviceApiLimits deviceLimits = new DeviceApiLimits(limiter, rateLimits.trustedProxies(), rules);
            AdminPortGuard adminGuard = new AdminPortGuard(config.adminKey(), config.internalSecret(), authFailures,
                    rateLimits.trustedProxies());
            ThrottledLog clientLog = new ThrottledLog(log, LOG_THROTTLE);
            ControlLimits limits = config.limits();
            deviceServer = bind(loops, config.deviceBind(), config.devicePort(), metrics.httpStatus("device"),
                    tls.device().serverContext(), new PortGuard("device", limits, limits.deviceConnections(),
                            config.maxJsonBodySize(), serviceMetrics.registry(), clientLog,
                            GateReplies.firstOf(dialects.stream().map(Dialect::gateReplies).toList())), deviceLimits::wrap, routes -> {
                dialects.forEach(d -> d.register(routes));
                routes.route(request -> true, (request, response) -> RequestBodies.settleUnread(request, response)
                        .then(Mono.from(JsonReply.send(response, 404,
                                JsonReply.error("not_found", "no route " + request.method() + " " + request.path())))));
            });
            adminServer = bind(loops, config.adminBind(), config.adminPort(), metrics.httpStatus("admin"),
                    tls.admin().serverContext(),
                    // Uploads are large: the admin routes bound their own bodies.
                    new PortGuard("admin", limits, limits.adminConnections(), Long.MAX_VALUE, serviceMetrics.registry(),
                            clientLog, GateReplies.firstOf(dialects.stream().flatMap(d -> d.internalEndpoints().stream())
                                    .map(InternalEndpoint::gateReplies).toList())), adminGuard::wrap, routes -> {
                health.register(routes);
                if (internal != null) {
                    internal.register(routes);
                }
                admin.register(routes);
            });
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        serving = true;
        log.info("control listening: devices on {}:{}{}, admin on {}:{}{} ({} transport)", config.deviceBind(), devicePort(),
                tls.device().enabled() ? " (TLS)" : "", config.adminBind(), adminPort(), tls.admin().enabled() ? " (TLS)" : "",
                transport());
        if (!OneNetCheckHandler.isIpAddress(config.edgePublicIpAddress())) {
            log.warn("{} is not an IP address ({}): OneNET devices that check with cdn=false cannot resolve it; "
                    + "set OTA_EDGE_PUBLIC_IP_ADDRESS to the edge's ip:port", ControlConfig.EDGE_PUBLIC_IP_ADDRESS,
                    config.edgePublicIpAddress());
        }
        return this;
    }

    private static DisposableServer bind(LoopResources loops, String host, int port, HttpStatusMeter statuses, SslContext tls,
                                         PortGuard portGuard,
                                         UnaryOperator<BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>>> guard,
                                         Consumer<HttpServerRoutes> routes) {
        HttpServerRoutes table = HttpServerRoutes.newRoutes();
        routes.accept(table);
        HttpServer server = portGuard.configure(HttpServer.create())
                .runOn(loops)
                .host(host)
                .port(port)
                .doOnChannelInit((observer, channel, address) -> {
                    portGuard.install(channel);
                    if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                        channel.pipeline().addAfter(NettyPipeline.HttpCodec, "ota.canonicalHeaderCase", CanonicalHeaderCase.INSTANCE);
                        channel.pipeline().addAfter(NettyPipeline.HttpCodec, "ota.httpStatusMeter", statuses);
                    }
                })
                .handle(guard.apply(table));
        return (tls == null ? server : server.secure(spec -> spec.sslContext(tls))).bindNow();
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

    /** How often the task gauges are re-read from Redis ({@code OTA_TASK_METRICS_INTERVAL}); call before {@link #start()}. */
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

    /**
     * The socket transport the ports run on ({@code epoll}, {@code nio}, …), as reactor-netty picked it from the
     * classpath. It prefers io_uring when that is present; the build keeps it off the classpath because control's
     * device port stalled on it under the socket fuzzer (docs/RELIABILITY.md, "Fuzzing").
     */
    public String transport() {
        if (deviceServer == null) {
            return "none";
        }
        String name = deviceServer.channel().getClass().getSimpleName();
        return name.replace("ServerSocketChannel", "").replace("ServerDomainSocketChannel", "").toLowerCase(java.util.Locale.ROOT);
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
        // Graceful: in-flight requests (an upload, a check) finish within the grace period.
        if (deviceServer != null) {
            deviceServer.disposeNow(SHUTDOWN_GRACE);
            deviceServer = null;
        }
        if (adminServer != null) {
            adminServer.disposeNow(SHUTDOWN_GRACE);
            adminServer = null;
        }
        if (loops != null) {
            loops.disposeLater(Duration.ZERO, SHUTDOWN_GRACE).block(SHUTDOWN_GRACE.plusSeconds(1));
            loops = null;
        }
        if (taskGauges != null) {
            taskGauges.close();
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
