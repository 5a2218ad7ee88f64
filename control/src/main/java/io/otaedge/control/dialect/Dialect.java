package io.otaedge.control.dialect;

import io.otaedge.control.admin.DialectAdmin;
import io.otaedge.control.internal.InternalEndpoint;
import io.otaedge.control.limits.GateReplies;
import io.otaedge.control.metrics.DialectMeters;
import io.otaedge.control.ratelimit.DeviceApiLimits;
import java.util.List;
import java.util.Optional;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * One device dialect, as the control service mounts it: its name (the {@code dialect} tag of its meters and
 * rate limits), its device-facing routes and the rate-limit rule in front of them, its operator endpoints,
 * the words of the gate's refusals on its paths, its meters and, when the edge serves its devices, the internal endpoints the edge calls. A dialect is one
 * package beside the others, built over {@link DialectServices} and its own small settings record; the list of
 * dialects is built in one place ({@code Dialects}, beside {@code ControlServer}). A dialect never imports another.
 */
public interface Dialect {

    String name();

    /** Registers the device-facing routes (on the device port, before its 404 catch-all). */
    void register(HttpServerRoutes deviceRoutes);

    /** The rule that rate-limits the dialect's device calls in front of its routes; empty when it has no routes here. */
    default Optional<DeviceApiLimits.Rule> limitRule() {
        return Optional.empty();
    }

    /** How the device port's gate words its refusals on the dialect's paths (a malformed target, a body too large). */
    default GateReplies gateReplies() {
        return GateReplies.NONE;
    }

    /** The dialect's operator endpoints (on the admin port, behind the admin key). */
    DialectAdmin admin();

    /** Its {@code ota_control_checks_total} and {@code ota_control_progress_reports_total}, which its handlers move. */
    DialectMeters meters();

    /** Endpoints the edge calls for this dialect's devices (on the admin port, behind the internal secret). */
    default List<InternalEndpoint> internalEndpoints() {
        return List.of();
    }
}
