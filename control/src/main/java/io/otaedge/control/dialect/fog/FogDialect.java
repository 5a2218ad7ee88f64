package io.otaedge.control.dialect.fog;

import io.otaedge.control.admin.DialectAdmin;
import io.otaedge.control.dialect.Dialect;
import io.otaedge.control.dialect.DialectServices;
import io.otaedge.control.metrics.DialectMeters;
import io.otaedge.control.limits.GateReplies;
import io.otaedge.control.ratelimit.DeviceApiLimits;
import java.util.Optional;
import reactor.netty.http.server.HttpServerRoutes;

/** MXCHIP FOG's OTA API: the product's file calls, the device check and version report, and the operator's FOG token. */
public final class FogDialect implements Dialect {

    public static final String NAME = "fog";

    private final FogRoutes routes;
    private final FogAdmin admin;
    private final DialectMeters meters;

    public FogDialect(DialectServices s) {
        this.meters = s.metrics().dialect(NAME);
        FogStore store = new FogStore(s.redis());
        FogAuth auth = new FogAuth(store);
        this.routes = new FogRoutes(new FogFilesHandler(auth, store, s.firmwares(), s.tasks(), s.clock()),
                new FogDeviceHandler(auth, store, s.checks(), s.progress(), s.edges(), meters));
        this.admin = new FogAdmin(s.products(), store);
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
        return Optional.of(FogRoutes.limitRule());
    }

    @Override
    public GateReplies gateReplies() {
        return FogRoutes::gateReply;
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
