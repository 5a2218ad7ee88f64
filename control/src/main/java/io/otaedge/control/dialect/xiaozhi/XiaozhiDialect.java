package io.otaedge.control.dialect.xiaozhi;

import io.otaedge.control.dialect.AbstractDialect;
import io.otaedge.control.dialect.DialectParts;
import io.otaedge.control.dialect.DialectServices;
import io.otaedge.control.metrics.DialectMeters;

/** xiaozhi-esp32's OTA and activation calls, and the operator's product configuration and activation codes. */
public final class XiaozhiDialect extends AbstractDialect {

    public static final String NAME = "xiaozhi";

    /**
     * @param defaults     the deployment's {@code websocket} block for products without their own
     * @param maxAdminBody the largest JSON body the operator endpoints read
     */
    public record Settings(XiaozhiDefaults defaults, int maxAdminBody) {
    }

    public XiaozhiDialect(DialectServices s, Settings settings) {
        super(NAME, s, meters -> parts(s, settings, meters));
    }

    private static DialectParts parts(DialectServices s, Settings settings, DialectMeters meters) {
        XiaozhiStore store = new XiaozhiStore(s.redis());
        XiaozhiRoutes routes = new XiaozhiRoutes(
                new XiaozhiOtaHandler(s.products(), s.checks(), store, s.edges(), s.clock(), settings.defaults(), meters),
                new XiaozhiActivateHandler(s.products(), store));
        return DialectParts.devices(new XiaozhiAdmin(s.products(), store, settings.maxAdminBody()), routes::register,
                XiaozhiRoutes.limitRule(), XiaozhiRoutes::gateReply);
    }
}
