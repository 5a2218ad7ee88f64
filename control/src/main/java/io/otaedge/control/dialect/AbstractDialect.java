package io.otaedge.control.dialect;

import io.otaedge.control.admin.DialectAdmin;
import io.otaedge.control.internal.InternalEndpoint;
import io.otaedge.control.limits.GateReplies;
import io.otaedge.control.metrics.DialectMeters;
import io.otaedge.control.ratelimit.DeviceApiLimits;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The accessors every dialect shares, so a dialect class only says what it is made of: its name, and the
 * {@link DialectParts} it builds over the meters named after it. A dialect may still implement {@link Dialect}
 * directly; this base only saves the repetition.
 */
public abstract class AbstractDialect implements Dialect {

    private final String name;
    private final DialectMeters meters;
    private final DialectParts parts;

    /** @param parts builds the dialect's parts; its handlers count into the meters it is given */
    protected AbstractDialect(String name, DialectServices services, Function<DialectMeters, DialectParts> parts) {
        this.name = name;
        this.meters = services.metrics().dialect(name);
        this.parts = parts.apply(meters);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void register(HttpServerRoutes deviceRoutes) {
        parts.routes().accept(deviceRoutes);
    }

    @Override
    public final Optional<DeviceApiLimits.Rule> limitRule() {
        return parts.limitRule();
    }

    @Override
    public final GateReplies gateReplies() {
        return parts.gateReplies();
    }

    @Override
    public final DialectAdmin admin() {
        return parts.admin();
    }

    @Override
    public final DialectMeters meters() {
        return meters;
    }

    @Override
    public final List<InternalEndpoint> internalEndpoints() {
        return parts.internalEndpoints();
    }
}
