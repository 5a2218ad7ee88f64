package io.otaedge.edge.pipeline;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.otaedge.edge.exchange.Disposition;
import io.otaedge.edge.exchange.ExchangeEvent;
import io.otaedge.edge.exchange.Exchanges;
import io.otaedge.edge.wire.EncodedResponse;
import java.util.function.BooleanSupplier;

/**
 * Keep-alive, decided in one place, as Netty's {@code HttpServerKeepAliveHandler} does it: when work on an
 * answer starts ({@link ExchangeEvent#STARTED}) it decides from the request, and from the server's drain,
 * whether the connection persists, and puts that in the {@link Exchanges} record, because the edge's
 * heads are encoded before they reach here (the answering handler reads {@link Exchanges#connection()});
 * on the way out it closes the connection after the last write of a response that does not keep it
 * (a Netty-encoded head that says {@code Connection: close}, or an edge-encoded one built on a close).
 * {@link ExchangeEvent#DRAIN} at shutdown closes an idle connection at once and any other after the
 * answer in progress. Costs nothing per response but a field read, and a listener on closing only.
 */
public final class KeepAliveHandler extends ChannelDuplexHandler {

    private final BooleanSupplier serverDraining;
    private Exchanges exchanges;
    private boolean draining;
    /** The response being written closes the connection after its last write. */
    private boolean closeAfter;

    /** @param serverDraining true once the server stops: every answer from then on closes its connection */
    public KeepAliveHandler(BooleanSupplier serverDraining) {
        this.serverDraining = serverDraining;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        exchanges = Exchanges.of(ctx.channel());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ExchangeEvent.STARTED) {
            exchanges.decide(decide(exchanges.oldest()));
        } else if (evt == ExchangeEvent.DRAIN) {
            draining = true;
            if (!exchanges.answering()) {
                ctx.close();
                return;
            }
            exchanges.decide(Disposition.CLOSE);
        }
        ctx.fireUserEventTriggered(evt);
    }

    private Disposition decide(HttpRequest req) {
        if (req == null || req.decoderResult().isFailure() || !HttpUtil.isKeepAlive(req) || isDraining()) {
            return Disposition.CLOSE;
        }
        return req.protocolVersion().equals(HttpVersion.HTTP_1_0) ? Disposition.KEEP_ALIVE_1_0 : Disposition.KEEP_ALIVE;
    }

    private boolean isDraining() {
        return draining || serverDraining.getAsBoolean();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean last;
        if (msg instanceof EncodedResponse encoded) {
            closeAfter = !exchanges.connection().keepAlive();
            last = encoded.isWhole();
        } else {
            if (msg instanceof HttpResponse res && res.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
                closeAfter = !HttpUtil.isKeepAlive(res);
            }
            last = msg instanceof LastHttpContent;
        }
        if (last && (closeAfter || isDraining())) {
            closeAfter = false;
            promise = promise.unvoid().addListener(ChannelFutureListener.CLOSE);
        }
        ctx.write(msg, promise);
    }
}
