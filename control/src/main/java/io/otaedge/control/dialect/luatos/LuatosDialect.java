package io.otaedge.control.dialect.luatos;

import io.otaedge.common.json.Json;
import io.otaedge.common.luatos.LuatosDecisionApi;
import io.otaedge.control.admin.DialectAdmin;
import io.otaedge.control.dialect.Dialect;
import io.otaedge.control.dialect.DialectServices;
import io.otaedge.control.internal.InternalEndpoint;
import io.otaedge.control.limits.LimitReplies;
import io.otaedge.control.metrics.DialectMeters;
import java.util.List;
import java.util.Optional;
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
        return List.of(new InternalEndpoint(LuatosDecisionApi.PATH, decisions::handle, (path, status, malformed, message) ->
                path.equals(LuatosDecisionApi.PATH) ? Optional.of(gateReply(status, message)) : Optional.empty()));
    }

    /**
     * What the admin port's gate refuses on the decision path: the decision's contract, a 200 carrying the status
     * the edge hands the device, with the code the handler gives a malformed query.
     */
    private static LimitReplies.Reply gateReply(int status, String message) {
        return new LimitReplies.Reply(200, Json.bytes(
                LuatosDecisionHandler.refusal(LuatosCode.INVALID_FIRMWARE, status, message)));
    }
}
