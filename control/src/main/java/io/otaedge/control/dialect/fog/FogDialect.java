package io.otaedge.control.dialect.fog;

import io.otaedge.control.dialect.AbstractDialect;
import io.otaedge.control.dialect.DialectParts;
import io.otaedge.control.dialect.DialectServices;
import io.otaedge.control.metrics.DialectMeters;

/** MXCHIP FOG's OTA API: the product's file calls, the device check and version report, and the operator's FOG token. */
public final class FogDialect extends AbstractDialect {

    public static final String NAME = "fog";

    public FogDialect(DialectServices s) {
        super(NAME, s, meters -> parts(s, meters));
    }

    private static DialectParts parts(DialectServices s, DialectMeters meters) {
        FogStore store = new FogStore(s.redis());
        FogAuth auth = new FogAuth(store);
        FogRoutes routes = new FogRoutes(new FogFilesHandler(auth, store, s.firmwares(), s.tasks(), s.clock()),
                new FogDeviceHandler(auth, store, s.checks(), s.progress(), s.edges(), meters));
        return DialectParts.devices(new FogAdmin(s.products(), store), routes::register, FogRoutes.limitRule(),
                FogRoutes::gateReply);
    }
}
