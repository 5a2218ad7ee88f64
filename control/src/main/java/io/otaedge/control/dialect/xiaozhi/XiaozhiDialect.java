package io.otaedge.control.dialect.xiaozhi;

import io.otaedge.control.admin.DialectAdmin;
import io.otaedge.control.dialect.Dialect;
import io.otaedge.control.dialect.DialectServices;
import io.otaedge.control.metrics.DialectMeters;
import io.otaedge.control.limits.GateReplies;
import io.otaedge.control.ratelimit.DeviceApiLimits;
import java.util.Optional;
import reactor.netty.http.server.HttpServerRoutes;

/** xiaozhi-esp32's OTA and activation calls, and the operator's product configuration and activation codes. */
public final class XiaozhiDialect implements Dialect {

    public static final String NAME = "xiaozhi";

    /**
     * @param defaults     the deployment's {@code websocket} block for products without their own
     * @param maxAdminBody the largest JSON body the operator endpoints read
     */
    public record Settings(XiaozhiDefaults defaults, int maxAdminBody) {
    }

    private final XiaozhiRoutes routes;
    private final XiaozhiAdmin admin;
    private final DialectMeters meters;

    public XiaozhiDialect(DialectServices s, Settings settings) {
        this.meters = s.metrics().dialect(NAME);
        XiaozhiStore store = new XiaozhiStore(s.redis());
        this.routes = new XiaozhiRoutes(
                new XiaozhiOtaHandler(s.products(), s.checks(), store, s.edges(), s.clock(), settings.defaults(), meters),
                new XiaozhiActivateHandler(s.products(), store));
        this.admin = new XiaozhiAdmin(s.products(), store, settings.maxAdminBody());
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
        return Optional.of(XiaozhiRoutes.limitRule());
    }

    @Override
    public GateReplies gateReplies() {
        return XiaozhiRoutes::gateReply;
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
