package io.otaedge.edge.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import io.netty.util.concurrent.ScheduledFuture;
import io.otaedge.edge.exchange.ExchangeEvent;
import io.otaedge.edge.logging.LogThrottle;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three timeouts of a connection, judged by progress rather than wall-clock length (an NB-IoT
 * link at a few hundred bytes/s is a customer, not an attacker):
 * <ul>
 *   <li><b>idle</b>: no request in progress and nothing received for this long → close;</li>
 *   <li><b>read</b>: a request head (and body) that started arriving must be complete within this
 *       long, however slowly its bytes trickle in (slowloris);</li>
 *   <li><b>write</b>: while a response is being written, the socket must accept some bytes within
 *       this long; a reader that is slow but moving is never cut off.</li>
 * </ul>
 * One lazily re-armed timer per connection ticks at a fraction of the shortest timeout, so a
 * timeout fires between its value and its value plus one tick; nothing is scheduled per request.
 *
 * <p>Write progress is seen in two places. The outbound buffer shows bytes handed to the kernel,
 * but the kernel only wakes a writer once a third of the socket send buffer is free — megabytes
 * on an autotuned socket, minutes of a slow NB-IoT link. So on epoll the kernel's own clock is
 * asked too: {@code tcp_info.tcpi_last_data_sent}, the time since a data segment last left, which
 * moves whenever the peer opens its window by reading (zero-window probes carry no new data and
 * do not count). On NIO only the outbound buffer is observed.
 *
 * <p>Detection only, as Netty's {@code IdleStateHandler}: where the connection is comes from the
 * {@link ExchangeEvent}s the codec and the answering handler announce; a timeout fires a
 * {@link ConnectionTimeout} event down the pipeline and then {@link #expired} closes (a subclass may do
 * otherwise). Time comes from the executor's ticker, so tests freeze and advance it.
 */
public class ConnectionTimeouts extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionTimeouts.class);
    private static final LogThrottle TCP_INFO_LOG = new LogThrottle(10, TimeUnit.SECONDS);

    private final long idleNanos;
    private final long readNanos;
    private final long writeNanos;
    private final long tickNanos;

    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> tick;
    private boolean busy;
    private boolean partial;
    private long requestStart;
    private long idleSince;
    private long lastWriteProgress;
    private Object lastCurrent;
    private long lastProgress = -1;
    private long lastPending = -1;
    private EpollTcpInfo tcpInfo;

    public ConnectionTimeouts(Duration idle, Duration read, Duration write) {
        this.idleNanos = idle.toNanos();
        this.readNanos = read.toNanos();
        this.writeNanos = write.toNanos();
        long shortest = Math.min(idleNanos, Math.min(readNanos, writeNanos));
        this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(50), shortest / 4);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        idleSince = now();
        if (ctx.channel().isActive()) {
            schedule();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (tick == null) {
            schedule();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (tick != null) {
            tick.cancel(false);
            tick = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!partial && msg instanceof ByteBuf b && b.isReadable()) {
            partial = true;
            requestStart = now();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ExchangeEvent.REQUEST_RECEIVED) {
            partial = false;
        } else if (evt == ExchangeEvent.STARTED) {
            busy = true;
            lastWriteProgress = now();
        } else if (evt == ExchangeEvent.ENDED) {
            busy = false;
            long now = now();
            idleSince = now;
            if (partial) {
                // The next request's bytes came in while we were busy: its clock starts now.
                requestStart = now;
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * A timeout passed: tells the handlers after this one, then closes. The connection is then beyond
     * saving (a peer that stopped reading or never finishes its request), so nothing is answered.
     */
    protected void expired(ChannelHandlerContext ctx, ConnectionTimeout timeout) {
        ctx.fireUserEventTriggered(timeout);
        ctx.close();
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }

    private void schedule() {
        tick = ctx.executor().schedule(this::check, tickNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        tick = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = now();
        if (busy) {
            if (writeStalled(now)) {
                log.debug("write timeout on {}", ctx.channel().remoteAddress());
                expired(ctx, ConnectionTimeout.WRITE);
                return;
            }
        } else if (partial) {
            if (now - requestStart >= readNanos) {
                log.debug("read timeout on {}", ctx.channel().remoteAddress());
                expired(ctx, ConnectionTimeout.READ);
                return;
            }
        } else if (now - idleSince >= idleNanos && msSinceDataSent() >= TimeUnit.NANOSECONDS.toMillis(idleNanos)) {
            // Idle, and the kernel is not still delivering the tail of the last response either.
            expired(ctx, ConnectionTimeout.IDLE);
            return;
        }
        schedule();
    }

    /** True when bytes are waiting to be written and none has moved for the write timeout. */
    private boolean writeStalled(long now) {
        ChannelOutboundBuffer buf = ctx.channel().unsafe().outboundBuffer();
        if (buf == null) {
            return false;
        }
        Object current = buf.current();
        long progress = buf.currentProgress();
        long pending = buf.totalPendingWriteBytes();
        if (current == null || current != lastCurrent || progress != lastProgress || pending != lastPending) {
            lastCurrent = current;
            lastProgress = progress;
            lastPending = pending;
            lastWriteProgress = now;
            return false;
        }
        return now - lastWriteProgress >= writeNanos && msSinceDataSent() >= TimeUnit.NANOSECONDS.toMillis(writeNanos);
    }

    /** Milliseconds since the kernel last sent a data segment; {@code Long.MAX_VALUE} when it cannot tell. */
    private long msSinceDataSent() {
        if (ctx.channel() instanceof EpollSocketChannel ch) {
            try {
                tcpInfo = ch.tcpInfo(tcpInfo == null ? new EpollTcpInfo() : tcpInfo);
                return tcpInfo.lastDataSent();
            } catch (RuntimeException e) {
                // A closed socket has none; an open one failing is unexpected, and its write and idle timeouts are
                // then judged by the outbound buffer alone.
                if (ch.isOpen() && TCP_INFO_LOG.allow()) {
                    log.warn("cannot read tcp_info of {}; judging its timeouts by the outbound buffer alone",
                            ch.remoteAddress(), e);
                }
                return Long.MAX_VALUE;
            }
        }
        return Long.MAX_VALUE;
    }
}
