package io.otaedge.control;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.token.TokenStore;
import io.otaedge.control.admin.AdminRoutes;
import io.otaedge.control.admin.DeviceAdmin;
import io.otaedge.control.admin.FirmwareAdmin;
import io.otaedge.control.admin.OneNetAuthorizationAdmin;
import io.otaedge.control.admin.ProductAdmin;
import io.otaedge.control.admin.TaskAdmin;
import io.otaedge.control.admin.TokenAdmin;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.catalog.FirmwareUploader;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.dialect.onenet.OneNetAuthenticator;
import io.otaedge.control.dialect.onenet.OneNetCheckHandler;
import io.otaedge.control.dialect.onenet.OneNetTokenCalls;
import io.otaedge.control.dialect.onenet.OneNetVersionCalls;
import io.otaedge.control.dialect.onenet.OneNetRoutes;
import io.otaedge.control.engine.DeviceCheckService;
import io.otaedge.control.engine.UpgradeDecisionEngine;
import io.otaedge.control.http.CanonicalHeaderCase;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.token.TokenIssuer;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The control service: the device-facing port (dialect adapters) and the operator port (admin API),
 * two reactor-netty servers over one set of repositories and one decision engine.
 */
public final class ControlServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final ControlConfig config;
    private final OneNetRoutes oneNet;
    private final AdminRoutes admin;
    private final DeviceProgressService progress;
    private DisposableServer deviceServer;
    private DisposableServer adminServer;

    public ControlServer(ControlConfig config, RedisConnector redis, BlobStore blobs) {
        this.config = config;
        Clock clock = Clock.systemUTC();
        RedisAsyncCommands<String, String> r = redis.async();
        TokenStore tokenStore = new TokenStore(r);
        ProductRepository products = new ProductRepository(r);
        FirmwareRepository firmwares = new FirmwareRepository(r);
        TaskRepository tasks = new TaskRepository(r);
        DeviceRepository devices = new DeviceRepository(r);

        this.progress = new DeviceProgressService(r, tasks, devices, config.upgradeTimeout(), clock);
        DeviceCheckService checks = new DeviceCheckService(devices, new UpgradeDecisionEngine(tasks, firmwares, clock),
                new TokenIssuer(r, tokenStore, config.tokenTtl(), clock), clock, progress);
        OneNetAuthenticator oneNetAuth = new OneNetAuthenticator(products, clock);
        this.oneNet = new OneNetRoutes(new OneNetCheckHandler(products, checks, config.edgePublicAddress(),
                config.edgePublicIpAddress(), clock),
                new OneNetTokenCalls(oneNetAuth, tokenStore, progress, devices, clock),
                new OneNetVersionCalls(oneNetAuth, progress, devices));

        int maxBody = config.maxJsonBodySize();
        this.admin = new AdminRoutes(config.adminKey(),
                new ProductAdmin(products, maxBody),
                new FirmwareAdmin(products, firmwares, new FirmwareUploader(blobs, config.maxFirmwareSize()), clock, maxBody),
                new TaskAdmin(products, firmwares, tasks, progress, maxBody, clock),
                new DeviceAdmin(devices, progress),
                new TokenAdmin(tokenStore),
                new OneNetAuthorizationAdmin(products, maxBody, clock));
    }

    /** Binds both ports; on failure nothing stays bound. */
    public synchronized ControlServer start() {
        if (deviceServer != null) {
            throw new IllegalStateException("already started");
        }
        try {
            deviceServer = bind(config.deviceBind(), config.devicePort(), routes -> {
                oneNet.register(routes);
                routes.route(request -> true, (request, response) -> RequestBodies.settleUnread(request, response)
                        .then(Mono.from(JsonReply.send(response, 404,
                                JsonReply.error("not_found", "no route " + request.method() + " " + request.path())))));
            });
            adminServer = bind(config.adminBind(), config.adminPort(), admin::register);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.info("control listening: devices on {}:{}, admin on {}:{}", config.deviceBind(), devicePort(),
                config.adminBind(), adminPort());
        return this;
    }

    private static DisposableServer bind(String host, int port, Consumer<HttpServerRoutes> routes) {
        return HttpServer.create()
                .host(host)
                .port(port)
                .doOnChannelInit((observer, channel, address) -> {
                    if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                        channel.pipeline().addAfter(NettyPipeline.HttpCodec, "ota.canonicalHeaderCase", CanonicalHeaderCase.INSTANCE);
                    }
                })
                .route(routes)
                .bindNow();
    }

    /** The dialect-free progress service (state machine) the dialects report into. */
    public DeviceProgressService progress() {
        return progress;
    }

    public int devicePort() {
        return port(deviceServer);
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
        // Graceful: in-flight requests (an upload, a check) finish within the grace period.
        if (deviceServer != null) {
            deviceServer.disposeNow(SHUTDOWN_GRACE);
            deviceServer = null;
        }
        if (adminServer != null) {
            adminServer.disposeNow(SHUTDOWN_GRACE);
            adminServer = null;
        }
    }
}
