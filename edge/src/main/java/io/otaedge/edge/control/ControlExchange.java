package io.otaedge.edge.control;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelPool;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One pooled connection's side of a call, on the connection's event loop: completes the caller's
 * stage with control's reply, then hands the connection back to its pool (kept alive) or closes it
 * (a failure, a timeout, {@code Connection: close}). One call at a time per connection: the pool
 * hands a connection to one caller until it is released.
 */
final class ControlExchange extends SimpleChannelInboundHandler<FullHttpResponse> {

    /** A pooled connection idle this long is closed (control may be gone or replaced meanwhile). */
    static final int IDLE_SECONDS = 30;

    private Channel channel;
    private CompletableFuture<ControlHttpClient.Reply> current;
    private ChannelPool pool;
    private ScheduledFuture<?> timer;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    /** Starts a call on this connection (on its event loop, right after the pool handed it out). */
    void begin(CompletableFuture<ControlHttpClient.Reply> result, ChannelPool pool, Duration timeout) {
        this.current = result;
        this.pool = pool;
        this.timer = channel.eventLoop().schedule(
                () -> fail(new TimeoutException("control did not answer within " + timeout)),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void fail(Throwable cause) {
        if (current != null) {
            end(false).completeExceptionally(cause);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
        if (current == null) {
            // An answer nobody asked for: the connection is out of step.
            ctx.close();
            return;
        }
        ControlHttpClient.Reply reply = new ControlHttpClient.Reply(response.status().code(),
                response.headers().copy(), ByteBufUtil.getBytes(response.content()));
        end(HttpUtil.isKeepAlive(response)).complete(reply);
    }

    /** Releases the connection (closed first unless {@code keep}) and returns the call's stage. */
    private CompletableFuture<ControlHttpClient.Reply> end(boolean keep) {
        CompletableFuture<ControlHttpClient.Reply> call = current;
        current = null;
        timer.cancel(false);
        if (!keep) {
            channel.close();
        }
        pool.release(channel);
        return call;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(new IOException("control closed the connection before answering"));
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && current == null) {
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** Builds each new pooled connection's pipeline. */
    static final class PoolHandler extends AbstractChannelPoolHandler {
        private final int maxBody;

        PoolHandler(int maxBody) {
            this.maxBody = maxBody;
        }

        @Override
        public void channelCreated(Channel ch) {
            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(maxBody),
                    new IdleStateHandler(0, 0, IDLE_SECONDS), new ControlExchange());
        }
    }
}
