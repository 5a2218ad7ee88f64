package io.otaedge.control;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.otaedge.common.logging.AccessLogSettings;
import io.otaedge.control.access.ControlAccessLog;
import io.otaedge.control.http.CanonicalHeaderCase;
import io.otaedge.control.limits.ControlLimits;
import io.otaedge.control.limits.GateReplies;
import io.otaedge.control.limits.PortGuard;
import io.otaedge.control.limits.ThrottledLog;
import io.otaedge.control.metrics.HttpStatusMeter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import reactor.netty.resources.LoopResources;

/**
 * The control service's listening ports and their event loops: how either port is bound (behind its
 * {@link PortGuard}: connection cap, request clock, request gate; the access log (when on), the status meter and
 * header casing after the HTTP codec; TLS when configured; its own guard around its route table), and their graceful close, ports first
 * (in-flight requests finish within the grace), then the loops.
 */
final class ControlPorts implements AutoCloseable {

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final ControlLimits limits;
    private final MeterRegistry registry;
    private final ThrottledLog clientLog;
    private final AccessLogSettings accessLog;
    /** Both ports' event loops, sized by {@code OTA_CONTROL_IO_THREADS}. */
    private final LoopResources loops;
    private final List<DisposableServer> bound = new ArrayList<>();

    /** @param clientLog where both ports' guards log client mistakes, throttled */
    ControlPorts(int eventLoops, ControlLimits limits, MeterRegistry registry, ThrottledLog clientLog,
                 AccessLogSettings accessLog) {
        this.accessLog = accessLog;
        this.limits = limits;
        this.registry = registry;
        this.clientLog = clientLog;
        this.loops = LoopResources.create("ota-control", eventLoops, true);
    }

    ControlLimits limits() {
        return limits;
    }

    /** The gate of port {@code name}: its connection cap, largest body before routing, and refusals' wording. */
    PortGuard guard(String name, int maxConnections, long maxBody, GateReplies replies) {
        return new PortGuard(name, limits, maxConnections, maxBody, registry, clientLog, replies);
    }

    DisposableServer bind(String host, int port, HttpStatusMeter statuses, SslContext tls, PortGuard portGuard,
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
                        if (accessLog.enabled()) {
                            // First after the codec: it sees every request, and every answer, the gate's included.
                            channel.pipeline().addAfter(NettyPipeline.HttpCodec, "ota.accessLog",
                                    new ControlAccessLog(portGuard.name(), accessLog));
                        }
                    }
                })
                .handle(guard.apply(table));
        DisposableServer bound = (tls == null ? server : server.secure(spec -> spec.sslContext(tls))).bindNow();
        this.bound.add(bound);
        return bound;
    }

    /**
     * The socket transport the ports run on ({@code epoll}, {@code nio}, …), as reactor-netty picked it from the
     * classpath. It prefers io_uring when that is present; the build keeps it off the classpath because control's
     * device port stalled on it under the socket fuzzer (docs/RELIABILITY.md, "Fuzzing").
     */
    String transport() {
        if (bound.isEmpty()) {
            return "none";
        }
        String name = bound.get(0).channel().getClass().getSimpleName();
        return name.replace("ServerSocketChannel", "").replace("ServerDomainSocketChannel", "").toLowerCase(Locale.ROOT);
    }

    /** Graceful: in-flight requests (an upload, a check) finish within the grace period. */
    @Override
    public void close() {
        for (DisposableServer server : bound) {
            server.disposeNow(SHUTDOWN_GRACE);
        }
        bound.clear();
        loops.disposeLater(Duration.ZERO, SHUTDOWN_GRACE).block(SHUTDOWN_GRACE.plusSeconds(1));
    }
}
