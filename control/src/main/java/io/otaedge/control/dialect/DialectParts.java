package io.otaedge.control.dialect;

import io.otaedge.control.admin.DialectAdmin;
import io.otaedge.control.internal.InternalEndpoint;
import io.otaedge.control.limits.GateReplies;
import io.otaedge.control.ratelimit.DeviceApiLimits;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * What a dialect is made of, built once by its constructor ({@link AbstractDialect}): its operator endpoints,
 * its device routes with the rate-limit rule and gate wording in front of them, and the internal endpoints the
 * edge calls for its devices. Made with {@link #devices} (a dialect control answers) or {@link #edgeServed} (a
 * dialect the edge answers, asking control only through internal endpoints).
 */
public record DialectParts(DialectAdmin admin, Consumer<HttpServerRoutes> routes, Optional<DeviceApiLimits.Rule> limitRule,
                           GateReplies gateReplies, List<InternalEndpoint> internalEndpoints) {

    public DialectParts {
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(routes, "routes");
        Objects.requireNonNull(limitRule, "limitRule");
        Objects.requireNonNull(gateReplies, "gateReplies");
        internalEndpoints = List.copyOf(internalEndpoints);
    }

    /** A dialect whose devices call control: its routes, limited by {@code limitRule}, refused in its words. */
    public static DialectParts devices(DialectAdmin admin, Consumer<HttpServerRoutes> routes, DeviceApiLimits.Rule limitRule,
                                       GateReplies gateReplies) {
        return new DialectParts(admin, routes, Optional.of(limitRule), gateReplies, List.of());
    }

    /** A dialect whose devices call the edge: no device routes here, only what the edge asks control. */
    public static DialectParts edgeServed(DialectAdmin admin, List<InternalEndpoint> internalEndpoints) {
        return new DialectParts(admin, routes -> { }, Optional.empty(), GateReplies.NONE, internalEndpoints);
    }
}
