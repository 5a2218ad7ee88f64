package io.otaedge.control.limits;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One connection's request deadlines: the head must be complete {@code headerTimeout} after its first byte
 * (wall clock: a head is small, so a byte every few seconds is not progress), the body must bring
 * {@link ControlLimits#BODY_PROGRESS_BYTES} within each {@code bodyTimeout} (progress, so a slow link's large
 * upload goes on), and a connection with no request in progress is closed after {@code idleTimeout}. While the
 * server works on a request nothing is timed here. Sits right after the HTTP codec; {@link #rawBytes()} goes
 * before it to see a head's first byte. Time comes from the event loop's ticker; one timer at a time.
 */
public final class RequestClock extends ChannelDuplexHandler {

    /** Why a connection was closed. */
    public enum Expiry { HEADER, BODY, IDLE }

    private final long headerNanos;
    private final long bodyNanos;
    private final long idleNanos;
    private final Consumer<Expiry> onExpiry;

    private ChannelHandlerContext ctx;
    private boolean inHead;
    private boolean inBody;
    /** Requests read whose response has not been written yet. */
    private int pending;
    /** When the current phase (idle, head, or the body's last progress mark) began. */
    private long phaseStart;
    private long bodyBytesSinceMark;
    private ScheduledFuture<?> timer;
    private long timerDeadline;

    public RequestClock(ControlLimits limits, Consumer<Expiry> onExpiry) {
        this.headerNanos = limits.headerTimeout().toNanos();
        this.bodyNanos = limits.bodyTimeout().toNanos();
        this.idleNanos = limits.idleTimeout().toNanos();
        this.onExpiry = onExpiry;
    }

    /** The handler that goes before the HTTP codec: it marks a head's first byte. */
    public ChannelHandler rawBytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                if (!inHead && !inBody && msg instanceof ByteBuf b && b.isReadable()) {
                    inHead = true;
                    phaseStart = now();
                    arm();
                }
                c.fireChannelRead(msg);
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        phaseStart = now();
        if (ctx.channel().isActive()) {
            arm();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        phaseStart = now();
        arm();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            inHead = false;
            inBody = true;
            pending++;
            phaseStart = now();
            bodyBytesSinceMark = 0;
        }
        if (msg instanceof HttpContent content && inBody) {
            bodyBytesSinceMark += content.content().readableBytes();
            if (bodyBytesSinceMark >= ControlLimits.BODY_PROGRESS_BYTES) {
                bodyBytesSinceMark = 0;
                phaseStart = now();
            }
        }
        if (msg instanceof LastHttpContent) {
            inBody = false;
        }
        arm();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent) {
            promise = promise.unvoid(); // a void promise takes no listener
            promise.addListener(f -> {
                if (pending > 0) {
                    pending--;
                }
                if (!inHead && !inBody && pending == 0) {
                    phaseStart = now();
                }
                arm();
            });
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        ctx.fireChannelInactive();
    }

    /** The deadline of the current phase, or -1 while the server works on a request. */
    private long deadline() {
        if (inHead) {
            return phaseStart + headerNanos;
        }
        if (inBody) {
            return phaseStart + bodyNanos;
        }
        return pending == 0 ? phaseStart + idleNanos : -1;
    }

    /** Makes sure a timer fires no later than the current deadline. */
    private void arm() {
        if (ctx == null) {
            return;
        }
        long deadline = deadline();
        if (deadline < 0) {
            return; // a timer already set fires, finds nothing to time, and is not renewed
        }
        if (timer != null && !timer.isDone() && timerDeadline <= deadline) {
            return;
        }
        cancel();
        timerDeadline = deadline;
        timer = ctx.executor().schedule(this::check, Math.max(0, deadline - now()), TimeUnit.NANOSECONDS);
    }

    private void check() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long deadline = deadline();
        if (deadline < 0) {
            return;
        }
        if (now() - deadline >= 0) {
            Expiry why = inHead ? Expiry.HEADER : inBody ? Expiry.BODY : Expiry.IDLE;
            onExpiry.accept(why);
            ctx.channel().close();
            return;
        }
        arm();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private long now() {
        return ctx == null ? System.nanoTime() : ctx.executor().ticker().nanoTime();
    }
}
