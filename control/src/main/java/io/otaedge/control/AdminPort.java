package io.otaedge.control;

import io.netty.handler.ssl.SslContext;
import io.otaedge.control.admin.AdminPortGuard;
import io.otaedge.control.admin.AdminRoutes;
import io.otaedge.control.console.ConsoleRoutes;
import io.otaedge.control.dialect.Dialect;
import io.otaedge.control.internal.InternalEndpoint;
import io.otaedge.control.internal.InternalRoutes;
import io.otaedge.control.limits.GateReplies;
import io.otaedge.control.metrics.HealthRoutes;
import io.otaedge.control.metrics.HttpStatusMeter;
import java.util.List;
import reactor.netty.DisposableServer;

/**
 * The operator port: the web console's static files, health, the edge → control internal endpoints (when a secret
 * is set) and the admin API,
 * behind the admin key and the internal secret ({@link AdminPortGuard}). Uploads are large, so the routes bound
 * their own bodies; the gate words its refusals on internal paths as their dialects' contracts say.
 */
final class AdminPort {

    private AdminPort() {
    }

    /** @param internal null when {@code OTA_INTERNAL_SECRET} is unset */
    static DisposableServer bind(ControlPorts ports, ControlConfig config, List<Dialect> dialects, AdminPortGuard adminGuard,
                                 HttpStatusMeter statuses, SslContext tls, HealthRoutes health, InternalRoutes internal,
                                 AdminRoutes admin) {
        ConsoleRoutes console = ConsoleRoutes.load();
        GateReplies replies = GateReplies.firstOf(dialects.stream().flatMap(d -> d.internalEndpoints().stream())
                .map(InternalEndpoint::gateReplies).toList());
        return ports.bind(config.adminBind(), config.adminPort(), statuses, tls,
                ports.guard("admin", ports.limits().adminConnections(), Long.MAX_VALUE, replies), adminGuard::wrap, routes -> {
                    console.register(routes);
                    health.register(routes);
                    if (internal != null) {
                        internal.register(routes);
                    }
                    admin.register(routes);
                });
    }
}
