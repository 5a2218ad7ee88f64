package io.otaedge.control.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.otaedge.control.http.JsonLimits;
import java.util.EnumMap;
import java.util.Map;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * One port's defences, installed on each of its connections: the connection cap first, the request clock
 * around the HTTP codec and the request gate after it. Counts what it closes
 * ({@code ota_control_connections_closed_total{port,reason}}), shows what is open
 * ({@code ota_control_connections{port}}), and logs each kind of client mistake at most once per interval.
 */
public final class PortGuard {

    private final String port;
    private final ControlLimits limits;
    private final long maxBody;
    private final ConnectionCap cap;
    private final Map<RequestClock.Expiry, Counter> expiries = new EnumMap<>(RequestClock.Expiry.class);
    private final ThrottledLog log;
    private final JsonLimits json;
    private final GateReplies replies;

    /**
     * @param port    the port's name in meters and log lines ({@code device}, {@code admin})
     * @param maxBody the largest declared body accepted before routing ({@code Long.MAX_VALUE}: the routes decide)
     * @param replies how the port's dialects word what the gate refuses on their paths
     */
    public PortGuard(String port, ControlLimits limits, int maxConnections, long maxBody, MeterRegistry registry,
                     ThrottledLog log, GateReplies replies) {
        this.port = port;
        this.replies = replies;
        this.limits = limits;
        this.maxBody = maxBody;
        this.log = log;
        this.json = new JsonLimits(limits.maxJsonDepth(), limits.maxJsonArrayLength());
        Counter refused = closed(registry, "over_capacity");
        this.cap = new ConnectionCap(maxConnections, () -> {
            refused.increment();
            log.clientMistake(port + ".over_capacity", "control " + port + " port: a connection past "
                    + maxConnections + " open ones was closed at once (" + ControlLimits.class.getSimpleName() + ")");
        });
        for (RequestClock.Expiry e : RequestClock.Expiry.values()) {
            expiries.put(e, closed(registry, e.name().toLowerCase(java.util.Locale.ROOT) + "_timeout"));
        }
        Gauge.builder("ota.control.connections", cap, ConnectionCap::open).description("open connections")
                .tag("port", port).register(registry);
    }

    private Counter closed(MeterRegistry registry, String reason) {
        return Counter.builder("ota.control.connections.closed").description("connections control closed to protect a port")
                .tag("port", port).tag("reason", reason).register(registry);
    }

    /** The port's name in meters and log lines. */
    public String name() {
        return port;
    }

    /** The codec limits that go with the gate's. */
    public HttpServer configure(HttpServer server) {
        return server.httpRequestDecoder(spec -> spec.maxInitialLineLength(RequestGate.codecLineLimit(limits))
                .maxHeaderSize(limits.maxHeaderSize()));
    }

    /** Installs the handlers on a new connection (from {@code doOnChannelInit}). */
    public void install(Channel channel) {
        ChannelPipeline p = channel.pipeline();
        if (p.get(NettyPipeline.HttpCodec) == null) {
            return;
        }
        p.addFirst("ota.connectionCap", cap);
        channel.attr(JsonLimits.ATTR).set(json);
        p.addAfter(NettyPipeline.HttpCodec, "ota.requestGate", new RequestGate(replies, limits, maxBody, (kind, message) ->
                log.clientMistake(port + "." + kind, "control " + port + " port refused a request from "
                        + channel.remoteAddress() + ": " + message)));
        RequestClock clock = new RequestClock(limits, expiry -> {
            expiries.get(expiry).increment();
            if (expiry != RequestClock.Expiry.IDLE) {
                log.clientMistake(port + "." + expiry, "control " + port + " port closed a connection from "
                        + channel.remoteAddress() + ": its request " + (expiry == RequestClock.Expiry.HEADER
                        ? "head was not complete within " + limits.headerTimeout()
                        : "body made no progress of " + ControlLimits.BODY_PROGRESS_BYTES + " bytes within " + limits.bodyTimeout()));
            }
        });
        p.addBefore(NettyPipeline.HttpCodec, "ota.requestClock.raw", clock.rawBytes());
        p.addAfter(NettyPipeline.HttpCodec, "ota.requestClock", clock);
    }
}
