package io.otaedge.control.dialect.hawkbit;

import io.otaedge.control.admin.DialectAdmin;
import io.otaedge.control.dialect.Dialect;
import io.otaedge.control.dialect.DialectServices;
import io.otaedge.control.limits.GateReplies;
import io.otaedge.control.metrics.DialectMeters;
import io.otaedge.control.ratelimit.DeviceApiLimits;
import java.util.Optional;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * Eclipse hawkBit's Direct Device Integration API (DDI v1), as SWUpdate's suricatta and other hawkBit clients
 * speak it: one tenant is one product, one controller one device, one action one task. Artifacts are served by
 * the edge through a download token, as hawkBit does with a separate download server.
 */
public final class HawkbitDialect implements Dialect {

    public static final String NAME = "hawkbit";

    private final HawkbitRoutes routes;
    private final HawkbitAdmin admin;
    private final DialectMeters meters;

    /** @param maxBody the largest JSON body a device or operator may send ({@code OTA_MAX_JSON_BODY_SIZE}) */
    public HawkbitDialect(DialectServices s, int maxBody) {
        this.meters = s.metrics().dialect(NAME);
        HawkbitStore store = new HawkbitStore(s.redis());
        this.routes = new HawkbitRoutes(new HawkbitController(s.devices(), s.tasks(), s.checks(), s.progress(), s.edges(), store,
                meters, s.clock()), store, maxBody);
        this.admin = new HawkbitAdmin(s.products(), store, maxBody);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void register(HttpServerRoutes deviceRoutes) {
        routes.register(deviceRoutes);
    }

    @Override
    public Optional<DeviceApiLimits.Rule> limitRule() {
        return Optional.of(HawkbitRoutes.limitRule());
    }

    @Override
    public GateReplies gateReplies() {
        return HawkbitRoutes::gateReply;
    }

    @Override
    public DialectAdmin admin() {
        return admin;
    }

    @Override
    public DialectMeters meters() {
        return meters;
    }
}
