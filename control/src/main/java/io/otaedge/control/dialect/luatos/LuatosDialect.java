package io.otaedge.control.dialect.luatos;

import io.otaedge.common.json.Json;
import io.otaedge.common.luatos.LuatosDecisionApi;
import io.otaedge.control.dialect.AbstractDialect;
import io.otaedge.control.dialect.DialectParts;
import io.otaedge.control.dialect.DialectServices;
import io.otaedge.control.internal.InternalEndpoint;
import io.otaedge.control.limits.LimitReplies;
import io.otaedge.control.metrics.DialectMeters;
import java.util.List;
import java.util.Optional;

/**
 * LuatOS libfota. Its one GET both decides and downloads, and the edge serves it: control has no device
 * route for it, only the decision the edge asks for ({@link LuatosDecisionHandler}, an internal endpoint) and
 * the operator's {@code project_key}.
 */
public final class LuatosDialect extends AbstractDialect {

    public static final String NAME = "luatos";

    public LuatosDialect(DialectServices s) {
        super(NAME, s, meters -> parts(s, meters));
    }

    private static DialectParts parts(DialectServices s, DialectMeters meters) {
        LuatosDecisionHandler decisions = new LuatosDecisionHandler(s.products(), s.tasks(), s.checks(), s.limiter(), meters);
        return DialectParts.edgeServed(new LuatosAdmin(s.products()), List.of(new InternalEndpoint(LuatosDecisionApi.PATH,
                decisions::handle, (path, status, malformed, message) ->
                path.equals(LuatosDecisionApi.PATH) ? Optional.of(gateReply(status, message)) : Optional.empty())));
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
