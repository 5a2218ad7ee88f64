package io.otaedge.control.limits;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds one port to a number of open connections. A connection past the cap is closed as soon as it is
 * accepted, before it costs a request decoder or a byte of buffer; the ones already open keep working.
 * Shared by every connection of the port.
 */
@ChannelHandler.Sharable
public final class ConnectionCap extends ChannelInboundHandlerAdapter {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final Runnable onRefused;

    public ConnectionCap(int max, Runnable onRefused) {
        this.max = max;
        this.onRefused = onRefused;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        int now = open.incrementAndGet();
        ctx.channel().closeFuture().addListener(f -> open.decrementAndGet());
        if (now > max) {
            onRefused.run();
            ctx.close();
            return;
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    /** Connections open on the port now. */
    public int open() {
        return open.get();
    }
}
