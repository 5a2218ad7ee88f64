package io.otaedge.edge;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.otaedge.edge.exchange.ExchangeEvent;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's open client connections: how many (the connection cap and the load are judged against it), and
 * the drain at shutdown. Draining tells every connection ({@link ExchangeEvent#DRAIN}): the keep-alive handler
 * closes an idle one at once and a busy one after its answer; whatever is still open after the grace is closed.
 */
final class EdgeConnections {

    private static final Logger log = LoggerFactory.getLogger(EdgeServer.class);

    private final ChannelGroup channels = new DefaultChannelGroup("ota-edge", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger open = new AtomicInteger();
    /** Set at shutdown: answers from then on close their connection. */
    private volatile boolean draining;

    /** Counts {@code ch} open until it closes; answers how many are open with it. */
    int add(Channel ch) {
        int now = open.incrementAndGet();
        ch.closeFuture().addListener(f -> open.decrementAndGet());
        channels.add(ch);
        return now;
    }

    int open() {
        return open.get();
    }

    boolean draining() {
        return draining;
    }

    /** From now on every answer closes its connection, on connections open now and on any still being accepted. */
    void startDraining() {
        draining = true;
    }

    /**
     * Asks every connection to close after its answer (at once when idle) and waits up to {@code grace}; then
     * closes what is left. Call after {@link #startDraining} and once no more connections are accepted.
     */
    void drain(Duration grace) {
        for (Channel ch : channels) {
            ch.eventLoop().execute(() -> ExchangeEvent.DRAIN.announce(ch));
        }
        long millis = grace.toMillis();
        if (!channels.newCloseFuture().awaitUninterruptibly(millis, TimeUnit.MILLISECONDS)) {
            log.warn("{} downloads still running after the {} ms shutdown grace; closing them", channels.size(), millis);
            channels.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
    }
}
