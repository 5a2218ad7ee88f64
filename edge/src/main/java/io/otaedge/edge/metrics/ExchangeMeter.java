package io.otaedge.edge.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedInput;
import io.otaedge.edge.wire.ApiResponse;
import io.otaedge.edge.wire.EncodedResponse;
import io.otaedge.edge.exchange.ExchangeEvent;
import io.otaedge.edge.exchange.Exchanges;
import io.otaedge.edge.metrics.EdgeMetrics.Kind;
import io.otaedge.edge.wire.ApiResponse;
import io.otaedge.edge.wire.EncodedResponse;

/**
 * Measures each exchange of one connection from the messages that pass it, so the download code
 * needs no metric calls: it sits between the HTTP codec and the download handler, reads when the
 * request being answered arrived and whether it was a HEAD from the connection's {@link Exchanges}
 * record, and on the way out reads the response status (request counter), the completion
 * of the response head (time to first byte) and of the last write (bytes sent, download duration).
 * Bytes are summed as writes pass and counted once the response's last write completed, so a
 * download costs two listeners (one when head and body leave as one message), never a meter
 * lookup. Responses leave strictly in request order
 * (the download handler answers one request at a time), which is what lets one set of fields
 * describe the exchange in progress.
 */
public final class ExchangeMeter extends ChannelDuplexHandler {

    private final EdgeMetrics metrics;
    private ChannelHandlerContext ctx;
    private Exchanges exchanges;

    private long started;
    private boolean headTimed;
    /** The exchange is a device-API call, not a download: kept out of the download timings. */
    private boolean api;
    private long pendingBytes;
    private final ChannelFutureListener headWritten = this::headWritten;
    private final ChannelFutureListener lastWritten = this::lastWritten;

    public ExchangeMeter(EdgeMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.exchanges = Exchanges.of(ctx.channel());
    }

    /** A new answer: nothing of it has been written or timed yet. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ExchangeEvent.STARTED) {
            pendingBytes = 0;
            headTimed = false;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean last = msg instanceof LastHttpContent || msg instanceof EncodedResponse r && r.isWhole();
        if (msg instanceof HttpResponse res) {
            boolean head = startExchange();
            int status = res.status().code();
            api = res instanceof ApiResponse;
            metrics.request(status, api ? Kind.API : kind(status, head, multipart(res, status)));
            if (!last) {
                promise = promise.unvoid();
                promise.addListener(headWritten);
            }
        } else if (msg instanceof EncodedResponse encoded) {
            // Encoded by the download code itself: a 200 or a single-range 206.
            boolean head = startExchange();
            api = false;
            int status = encoded.status();
            metrics.request(status, kind(status, head, false));
            if (!last) {
                promise = promise.unvoid();
                promise.addListener(headWritten);
            }
        }
        pendingBytes += bodyBytes(msg);
        if (last) {
            promise = promise.unvoid();
            promise.addListener(lastWritten);
        }
        ctx.write(msg, promise);
    }

    private void headWritten(ChannelFuture f) {
        if (f.isSuccess()) {
            headTimed = true;
            metrics.timeToFirstByte(now() - started);
        }
    }

    private void lastWritten(ChannelFuture f) {
        long bytes = pendingBytes;
        pendingBytes = 0;
        if (!f.isSuccess()) {
            return;
        }
        if (bytes > 0) {
            metrics.bytesSent(bytes);
        }
        if (api) {
            return;
        }
        long took = now() - started;
        if (!headTimed) {
            // head and body left in one message (errors, 304s, small bodies)
            metrics.timeToFirstByte(took);
        }
        metrics.downloadDuration(took);
    }

    /**
     * The response to the oldest unanswered request starts: times it from that request's arrival (from now
     * when none waits: a refusal before any request was decoded); returns whether it answers a HEAD.
     */
    private boolean startExchange() {
        pendingBytes = 0;
        headTimed = false;
        started = exchanges.oldestArrival(now());
        return exchanges.oldestIsHead();
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }

    static Kind kind(int status, boolean head, boolean multipart) {
        if (head) {
            return Kind.HEAD;
        }
        if (status >= 400) {
            return Kind.ERROR;
        }
        if (status == 206) {
            return multipart ? Kind.MULTIRANGE : Kind.RANGE;
        }
        return Kind.FULL;
    }

    private static boolean multipart(HttpResponse res, int status) {
        if (status != 206) {
            return false;
        }
        String type = res.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && type.startsWith("multipart/");
    }

    /** Body bytes a message carries (the head of a response is not counted). */
    public static long bodyBytes(Object msg) {
        if (msg instanceof EncodedResponse r) {
            return r.bodyBytes();
        }
        if (msg instanceof ByteBufHolder h) {
            return h.content().readableBytes();
        }
        if (msg instanceof ByteBuf b) {
            return b.readableBytes();
        }
        if (msg instanceof FileRegion r) {
            return r.count();
        }
        if (msg instanceof ChunkedInput<?> c) {
            long length = c.length();
            return Math.max(0, length);
        }
        return 0;
    }
}
