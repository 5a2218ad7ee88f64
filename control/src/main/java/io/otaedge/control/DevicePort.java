package io.otaedge.control;

import io.netty.handler.ssl.SslContext;
import io.otaedge.control.dialect.Dialect;
import io.otaedge.control.http.NotFoundRoute;
import io.otaedge.control.limits.GateReplies;
import io.otaedge.control.metrics.HttpStatusMeter;
import io.otaedge.control.ratelimit.DeviceApiLimits;
import io.otaedge.control.ratelimit.DeviceRateLimiter;
import io.otaedge.control.ratelimit.TrustedProxies;
import java.util.List;
import reactor.netty.DisposableServer;

/**
 * The device-facing port: every dialect's routes, each behind its rate-limit rule, the gate's refusals in the
 * words of the dialect whose path it is, and {@link NotFoundRoute} for any path no dialect claims.
 */
final class DevicePort {

    private DevicePort() {
    }

    static DisposableServer bind(ControlPorts ports, ControlConfig config, List<Dialect> dialects, DeviceRateLimiter limiter,
                                 TrustedProxies proxies, HttpStatusMeter statuses, SslContext tls) {
        List<DeviceApiLimits.Rule> rules = dialects.stream().flatMap(d -> d.limitRule().stream()).toList();
        DeviceApiLimits deviceLimits = new DeviceApiLimits(limiter, proxies, rules);
        GateReplies replies = GateReplies.firstOf(dialects.stream().map(Dialect::gateReplies).toList());
        return ports.bind(config.deviceBind(), config.devicePort(), statuses, tls,
                ports.guard("device", ports.limits().deviceConnections(), config.maxJsonBodySize(), replies),
                deviceLimits::wrap, routes -> {
                    dialects.forEach(d -> d.register(routes));
                    NotFoundRoute.register(routes);
                });
    }
}
