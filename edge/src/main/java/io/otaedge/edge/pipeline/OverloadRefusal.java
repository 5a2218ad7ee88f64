package io.otaedge.edge.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.otaedge.edge.exchange.Disposition;
import io.otaedge.edge.exchange.ExchangeEvent;
import io.otaedge.edge.exchange.Exchanges;
import io.otaedge.edge.wire.EdgeError;
import io.otaedge.edge.wire.Responses;

/**
 * Stands in for the download handler on a connection above the connection cap: its first request, once
 * received, gets a small 503 with {@code Retry-After} (or its decoding error) saying {@code Connection:
 * close}, and the keep-alive handler closes the connection after it. Never a token lookup or a file.
 */
public final class OverloadRefusal extends ChannelInboundHandlerAdapter {

    private final long retryAfterSeconds;
    private boolean answered;

    public OverloadRefusal(long retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            boolean ended = msg instanceof LastHttpContent
                    || msg instanceof HttpRequest req && req.decoderResult().isFailure();
            if (ended && !answered) {
                answered = true;
                Exchanges exchanges = Exchanges.of(ctx.channel());
                HttpRequest req = exchanges.oldest();
                exchanges.start();
                ExchangeEvent.STARTED.announce(ctx.channel());
                EdgeError error = req != null && req.decoderResult().isFailure()
                        ? EdgeError.ofDecodeFailure(req.decoderResult().cause()) : EdgeError.OVERLOADED;
                ctx.writeAndFlush(Responses.error(error, Disposition.CLOSE, retryAfterSeconds));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** A reset or a failed TLS handshake: nothing to answer on a connection refused anyway. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
