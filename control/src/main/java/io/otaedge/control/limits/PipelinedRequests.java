package io.otaedge.control.limits;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import reactor.netty.channel.ChannelOperations;

/**
 * Holds back a request that arrives while the previous exchange on the connection is still bound, and hands it
 * (with what follows it) to reactor-netty only once that exchange has terminated. reactor-netty queues such a
 * request itself, but drops the queue unread when the queued request asks to close ({@code Connection: close},
 * an HTTP/1.0 request): it drains only while the connection is persistent, so the pipelined request was never
 * answered and the connection stayed open (the family of reactor/reactor-netty#4347 and #4361). Handed on one
 * at a time, each request finds no exchange in flight and is answered in order. Devices do not pipeline: on
 * their path this costs one attribute read per request and allocates nothing. Sits just before reactor-netty's
 * HTTP traffic handler, one per connection.
 */
final class PipelinedRequests extends ChannelInboundHandlerAdapter {

    /** Created on the first pipelined request; what reactor-netty must not see yet, in arrival order. */
    private ArrayDeque<Object> held;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (held != null && !held.isEmpty()) {
            held.add(msg);
            return;
        }
        if (msg instanceof HttpRequest && busy(ctx)) {
            if (held == null) {
                held = new ArrayDeque<>(4);
            }
            held.add(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** An exchange is still bound to the channel: its operations have not terminated. */
    private static boolean busy(ChannelHandlerContext ctx) {
        return ChannelOperations.get(ctx.channel()) != null;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        // reactor-netty announces an exchange's end with a user event after unbinding it; pass it on first, so
        // its traffic handler is ready for the next request when it comes.
        ctx.fireUserEventTriggered(evt);
        if (held != null && !held.isEmpty() && ctx.channel().isActive()) {
            drain(ctx);
        }
    }

    private void drain(ChannelHandlerContext ctx) {
        Object next;
        while ((next = held.peek()) != null) {
            if (next instanceof HttpRequest && busy(ctx)) {
                return; // the request handed on before it is still in flight: the next end drains again
            }
            held.poll();
            ctx.fireChannelRead(next);
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        discard();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discard();
    }

    private void discard() {
        if (held != null) {
            Object o;
            while ((o = held.poll()) != null) {
                ReferenceCountUtil.release(o);
            }
        }
    }
}
