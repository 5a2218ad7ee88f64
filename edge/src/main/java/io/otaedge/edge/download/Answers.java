package io.otaedge.edge.download;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.otaedge.edge.control.ControlRefusals;
import io.otaedge.edge.exchange.Disposition;
import io.otaedge.edge.metrics.EdgeMetrics;
import io.otaedge.edge.route.DeviceApi;
import io.otaedge.edge.wire.EdgeError;
import io.otaedge.edge.wire.Responses;
import io.otaedge.edge.wire.WireHeaders;
import java.nio.charset.StandardCharsets;

/**
 * The answers that are not a file: an edge error in the request's style, a LuatOS refusal in control's own
 * words, a reply of OneNET's device API passed on. Each is one flushed write; the caller attaches its completion.
 * Static and allocation-free beyond the response itself, as the handler's per-request path wants.
 */
final class Answers {

    private Answers() {
    }

    /** {@code error} as {@code style} words it (it may close the connection whatever {@code connection} says). */
    static ChannelFuture error(ChannelHandlerContext ctx, DownloadStyle style, EdgeError error, Disposition connection,
                               long retryAfterSeconds) {
        return ctx.writeAndFlush(style.error(error, connection, retryAfterSeconds));
    }

    /** The control service's own status ({@code >= 300}) and short text, as LuatOS devices read it. */
    static ChannelFuture refusal(ChannelHandlerContext ctx, Disposition connection, int status, String reason) {
        return ctx.writeAndFlush(Responses.full(HttpResponseStatus.valueOf(status), connection,
                WireHeaders.TEXT_PLAIN, reason.getBytes(StandardCharsets.UTF_8)));
    }

    /** OneNET's device API answered: its reply goes to the device as it is; a refusal of the edge itself is counted. */
    static ChannelFuture deviceApiReply(ChannelHandlerContext ctx, Disposition connection, DeviceApi.Reply r,
                                        EdgeMetrics metrics) {
        if (r.misconfiguration() != null) {
            ControlRefusals.report(metrics, EdgeMetrics.ControlCall.ONENET, r.misconfiguration());
        }
        return ctx.writeAndFlush(Responses.api(HttpResponseStatus.valueOf(r.status()), connection,
                r.contentType(), r.body(), r.retryAfter()));
    }
}
