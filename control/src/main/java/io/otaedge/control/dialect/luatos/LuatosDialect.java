package io.otaedge.control.dialect.luatos;

import io.otaedge.common.luatos.LuatosDecisionApi;
import io.otaedge.control.admin.DialectAdmin;
import io.otaedge.control.dialect.Dialect;
import io.otaedge.control.dialect.DialectServices;
import io.otaedge.control.internal.InternalEndpoint;
import io.otaedge.control.metrics.DialectMeters;
import java.util.List;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * LuatOS libfota. Its one GET both decides and downloads, and the edge serves it: control has no device
 * route for it, only the decision the edge asks for ({@link LuatosDecisionHandler}, an internal endpoint) and
 * the operator's {@code project_key}.
 */
public final class LuatosDialect implements Dialect {

    public static final String NAME = "luatos";

    private final LuatosDecisionHandler decisions;
    private final LuatosAdmin admin;
    private final DialectMeters meters;

    public LuatosDialect(DialectServices s) {
        this.meters = s.metrics().dialect(NAME);
        this.decisions = new LuatosDecisionHandler(s.products(), s.tasks(), s.checks(), s.limiter(), meters);
        this.admin = new LuatosAdmin(s.products());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void register(HttpServerRoutes deviceRoutes) {
        // The device's GET goes to the edge.
    }

    @Override
    public DialectAdmin admin() {
        return admin;
    }

    @Override
    public DialectMeters meters() {
        return meters;
    }

    @Override
    public List<InternalEndpoint> internalEndpoints() {
        return List.of(new InternalEndpoint(LuatosDecisionApi.PATH, decisions::handle));
    }
}
