package io.otaedge.edge.download;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.edge.exchange.Disposition;
import io.otaedge.edge.exchange.ExchangeEvent;
import io.otaedge.edge.exchange.Exchanges;
import io.otaedge.edge.file.BlobFile;
import io.otaedge.edge.grant.GrantReceiver;
import io.otaedge.edge.route.Route;
import io.otaedge.edge.wire.EdgeError;
import java.util.concurrent.RejectedExecutionException;

/**
 * The edge's request handler, one per connection: routes each request, then asks the route's
 * {@link io.otaedge.edge.grant.GrantSource} (a token, a LuatOS decision; the blob pulled from the origin
 * when missing) and hands what it grants to the route's {@link DownloadStyle}, or forwards the request to
 * OneNET's device API behind. Requests are answered strictly one at a time and in order, each
 * at its end, which is what makes HTTP/1.1 pipelining work: the codec records every request in the
 * connection's {@link Exchanges} as it decodes it, and this handler takes the oldest one once it has been
 * received whole ({@link Exchanges#nextToAnswer()}). Where the connection goes after the answer is the
 * keep-alive handler's decision ({@link Exchanges#connection()}); this handler announces when its work on
 * an answer starts and ends ({@link ExchangeEvent}). Request bodies are dropped as they arrive.
 *
 * <p>Every piece of work for a request runs guarded: serving it, each continuation after a token lookup,
 * a decision, a forwarded call or an origin pull ({@link #resume}), and the completion of its response.
 * Such work runs inside a future's callback or an event-loop task, where an exception would otherwise
 * vanish (a {@code CompletableFuture} keeps it, Netty's executor only logs it) and leave the
 * connection waiting for an answer that never comes: the write timeout watches only bytes that wait
 * to be written. A guarded exception is logged with its stack trace (throttled: {@link HandlerFailures}),
 * counted, and answered {@code 500} with a fixed body when no response was started, else the connection is
 * closed. The answers other than files are written by {@link Answers}; how many requests may queue is
 * {@link ReadBackPressure}'s rule.
 *
 * <p>With the NB-IoT cell cap on ({@link DownloadContext#cells()} not null), a download naming its cell
 * ({@code s_id}) goes through the connection's {@link CellGate}: grant, then a slot of its signal band's pool, then
 * the bytes; the slot is held until its answer ends or the connection closes, and a full pool is answered
 * {@link EdgeError#CELL_FULL}. Without the cap this costs a null check when a request starts and one when it ends.
 */
public final class DownloadHandler extends ChannelInboundHandlerAdapter implements GrantReceiver {

    private final DownloadContext context;
    /** The file bytes of the response being written, reported when it is done. */
    private final ServedBody served = new ServedBody();
    private final LastRepresentation representation = new LastRepresentation();
    /** The one completion listener of every response (responses are written one at a time). */
    private final ChannelFutureListener finished = this::finished;
    private ChannelHandlerContext ctx;
    private Exchanges exchanges;
    /** The request being answered has had its last write issued ({@link #finish}): no other answer may follow. */
    private boolean answered;
    /** How the request being answered answers: its route's style. */
    private DownloadStyle style = DownloadStyle.STANDARD;
    /** The request being answered (one at a time): what a grant source's answer is for. */
    private HttpRequest request;
    /** Orders the downloads that name their cell (grant, slot, bytes); null when the cell cap is off. */
    private CellGate cellGate;

    public DownloadHandler(DownloadContext context) {
        this.context = context;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.exchanges = Exchanges.of(ctx.channel());
        this.cellGate = context.cells() == null ? null : new CellGate(context.cells(), this, ctx.channel());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest) {
                ReadBackPressure.pauseIfFull(ctx.channel(), exchanges);
            }
            // A request is answered at its end, not at its head: a body that breaks (a bad chunk) is then known
            // before the answer is written, so that answer can say the connection closes. A head the codec gave
            // up on mid-way has no body: it ends there.
            if (msg instanceof LastHttpContent || msg instanceof HttpRequest req && req.decoderResult().isFailure()) {
                next();
            }
            // HttpContent: the body of a request we do not read; released below.
        } finally {
            // Headers stay usable after a FullHttpRequest's content is released.
            ReferenceCountUtil.release(msg);
        }
    }

    /** A request waiting for its grant never reaches {@link #afterResponse}: its slot is settled here. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (cellGate != null) {
            cellGate.settle(served, false);
        }
        ctx.fireChannelInactive();
    }

    /** What reaches here came from the pipeline (the transport, TLS, a codec): the connection cannot go on. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        HandlerFailures.connectionFailed(ctx, cause);
        ctx.close();
    }

    /**
     * Runs one piece of a request's work; an exception it throws ends in an answer or a close, never in
     * silence (see the class comment).
     */
    private void guarded(Runnable work) {
        try {
            work.run();
        } catch (Throwable t) {
            internalError(t);
        }
    }

    private void internalError(Throwable t) {
        context.metrics().internalError();
        HandlerFailures.answerFailed(ctx, answered, t);
        if (answered || !ctx.channel().isActive()) {
            ctx.close();
            return;
        }
        served.clear(); // a body may have been noted before the failure: none is served
        try {
            fail(EdgeError.INTERNAL_ERROR, Disposition.CLOSE);
        } catch (Throwable again) {
            HandlerFailures.errorAnswerFailed(ctx, again);
            ctx.close();
        }
    }

    /** Starts on the oldest request if it has been received whole and nothing is being answered. */
    private void next() {
        if (!ctx.channel().isActive()) {
            return;
        }
        ReadBackPressure.resumeIfDrained(ctx.channel(), exchanges);
        HttpRequest req = exchanges.nextToAnswer();
        if (req == null) {
            return;
        }
        answered = false;
        style = DownloadStyle.STANDARD;
        served.clear();
        request = req;
        exchanges.start();
        ExchangeEvent.STARTED.announce(ctx.channel());
        try {
            dispatch(req);
        } catch (Throwable t) {
            internalError(t);
        }
    }

    private void dispatch(HttpRequest req) {
        DecoderResult decoded = req.decoderResult();
        if (decoded.isFailure()) {
            // The codec discards everything after a bad message: the connection cannot go on.
            fail(EdgeError.ofDecodeFailure(decoded.cause()), Disposition.CLOSE);
            return;
        }
        Route route = Route.parse(req.uri(), context.luatosPath(), context.deviceApi() != null);
        if (route.kind() == Route.Kind.NONE) {
            fail(EdgeError.NO_ROUTE);
            return;
        }
        if (route.kind() == Route.Kind.DEVICE_API) {
            forwardDeviceApi(req);
            return;
        }
        style = DownloadStyle.of(route);
        HttpMethod method = req.method();
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            fail(EdgeError.METHOD_NOT_ALLOWED);
            return;
        }
        if (!style.validQuery(route.query())) {
            fail(EdgeError.BAD_PARAMETERS);
            return;
        }
        CellGate gate = cellGate;
        context.grants().find(route, req, ctx.channel(), gate != null && gate.claims(route.query()) ? gate : this);
    }

    /** Continues a request's work on the connection's event loop while it is open, {@link #guarded}. */
    @Override
    public void resume(Runnable work) {
        if (ctx.executor().inEventLoop()) {
            resumeHere(work);
            return;
        }
        try {
            ctx.executor().execute(() -> resumeHere(work));
        } catch (RejectedExecutionException shuttingDown) {
            // the event loop is gone and the connection with it
        }
    }

    private void resumeHere(Runnable work) {
        if (ctx.channel().isActive()) {
            guarded(work);
        }
    }

    @Override
    public void serve(TokenGrant grant, BlobFile blob) {
        exchanges.device(grant.deviceId());
        Representation rep;
        try {
            rep = representation.of(grant, blob.lastModified());
        } catch (RuntimeException e) {
            blob.release();
            throw e;
        }
        finish(style.respond(ctx, request, grant, blob, rep, exchanges.connection(), context, served));
    }

    @Override
    public void refuse(EdgeError error) {
        fail(error);
    }

    @Override
    public void refuse(int status, String reason) {
        finish(Answers.refusal(ctx, exchanges.connection(), status, reason));
    }

    /** OneNET's device API: the call goes to the service behind, its answer back to the device. */
    private void forwardDeviceApi(HttpRequest req) {
        DeviceApiRelay.call(context.deviceApi(), req, ctx.channel()).whenComplete((r, error) -> resume(() ->
                finish(Answers.deviceApiReply(ctx, exchanges.connection(), DeviceApiRelay.replyOf(r, error), context.metrics()))));
    }

    /** Answers {@code error} in the request's style, on the connection's disposition. */
    private void fail(EdgeError error) {
        fail(error, exchanges.connection());
    }

    private void fail(EdgeError error, Disposition connection) {
        finish(Answers.error(ctx, style, error, connection, context.retryAfterSeconds()));
    }

    private void finish(ChannelFuture last) {
        answered = true;
        last.addListener(finished);
    }

    private void finished(ChannelFuture f) {
        try {
            afterResponse(f);
        } catch (Throwable t) {
            internalError(t);
        }
    }

    /** The keep-alive handler closed the connection already if the answer said so; a failed write closes it here. */
    private void afterResponse(ChannelFuture f) {
        request = null;
        if (cellGate != null) {
            cellGate.settle(served, f.isSuccess());
        }
        served.report(f.isSuccess(), context.served());
        exchanges.end();
        ExchangeEvent.ENDED.announce(ctx.channel());
        if (!f.isSuccess()) {
            ctx.close();
            return;
        }
        next();
    }
}
