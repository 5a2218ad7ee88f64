package io.otaedge.edge.grant;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.otaedge.edge.control.ControlRefusals;
import io.otaedge.edge.logging.LogThrottle;
import io.otaedge.edge.luatos.LuatosDecision;
import io.otaedge.edge.luatos.LuatosDecisions;
import io.otaedge.edge.metrics.EdgeMetrics;
import io.otaedge.edge.range.ByteRange;
import io.otaedge.edge.range.RangeHeader;
import io.otaedge.edge.range.RangeRequest;
import io.otaedge.edge.route.Route;
import io.otaedge.edge.wire.EdgeError;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LuatOS' one-call upgrades: the control service decides from the device's query, and a grant it gives is
 * served like any token's (Range included). Its refusals go back with control's own status and text; control
 * refusing the edge itself is a configuration fault ({@link EdgeError#CONTROL_REFUSED}); control unreachable
 * is a 503 the device retries.
 */
public final class LuatosGrants implements GrantSource {

    private static final Logger log = LoggerFactory.getLogger(LuatosGrants.class);
    private static final LogThrottle FAILED_LOG = new LogThrottle(10, TimeUnit.SECONDS);

    private final LuatosDecisions decisions;
    private final GrantedBlobs blobs;
    private final EdgeMetrics metrics;

    public LuatosGrants(LuatosDecisions decisions, GrantedBlobs blobs, EdgeMetrics metrics) {
        this.decisions = decisions;
        this.blobs = blobs;
        this.metrics = metrics;
    }

    @Override
    public void find(Route route, HttpRequest req, Channel requester, GrantReceiver to) {
        CompletionStage<LuatosDecision> decision;
        try {
            decision = decisions.decide(route.query(), resumeFrom(req), requester);
        } catch (RuntimeException e) {
            decision = CompletableFuture.failedFuture(e);
        }
        decision.whenComplete((d, error) -> to.resume(() -> decided(d, error, to)));
    }

    private void decided(LuatosDecision d, Throwable error, GrantReceiver to) {
        if (d instanceof LuatosDecision.Grant g) {
            blobs.open(g.grant(), to);
        } else if (d instanceof LuatosDecision.Refusal r) {
            to.refuse(r.status(), r.reason());
        } else if (d instanceof LuatosDecision.Misconfigured m) {
            ControlRefusals.report(metrics, EdgeMetrics.ControlCall.LUATOS,
                    "control answered " + m.controlStatus() + " to the LuatOS decision: " + m.fix());
            to.refuse(EdgeError.CONTROL_REFUSED);
        } else {
            if (FAILED_LOG.allow()) {
                log.warn("LuatOS decision failed, answering 503", error);
            }
            to.refuse(EdgeError.TOKEN_STORE_UNAVAILABLE);
        }
    }

    /**
     * The first byte a LuatOS retry resumes from: the lowest first byte of its Range, read as the file
     * responder reads it (a suffix range counts as past 0); 0 for a fresh request (no Range, one the
     * responder ignores, one starting at byte 0, or a HEAD, for which Range is ignored).
     */
    static long resumeFrom(HttpRequest req) {
        String range = req.headers().get(HttpHeaderNames.RANGE);
        if (range == null || !HttpMethod.GET.equals(req.method())) {
            return 0;
        }
        if (!(RangeHeader.parse(range, Long.MAX_VALUE) instanceof RangeRequest.Satisfiable s)) {
            return 0;
        }
        long first = Long.MAX_VALUE;
        for (ByteRange r : s.ranges()) {
            first = Math.min(first, r.first());
        }
        return first;
    }
}
