package io.otaedge.edge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.otaedge.edge.exchange.ExchangeEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The timeouts alone on an {@link EmbeddedChannel} with frozen time (as Netty's {@code IdleStateHandlerTest}):
 * which timeout applies follows the {@link ExchangeEvent}s; a passed timeout is fired down the pipeline as a
 * {@link ConnectionTimeout} and the connection closes. No sockets, no sleeps.
 */
class ConnectionTimeoutsTest {

    final List<Object> events = new ArrayList<>();
    EmbeddedChannel ch;

    @BeforeEach
    void channel() {
        ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new ConnectionTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3)),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        events.add(evt);
                    }
                });
    }

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    void advance(long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void anIdleConnectionClosesAfterTheIdleTimeout() {
        advance(900);
        assertThat(ch.isOpen()).isTrue();
        advance(400);
        assertThat(ch.isOpen()).isFalse();
        assertThat(events).containsExactly(ConnectionTimeout.IDLE);
    }

    @Test
    void aRequestThatStartedArrivingHasTheReadTimeoutNotTheIdleOne() {
        ch.writeInbound(Unpooled.copiedBuffer("GET /", StandardCharsets.US_ASCII));
        advance(1500);
        assertThat(ch.isOpen()).isTrue();
        advance(700);
        assertThat(ch.isOpen()).isFalse();
        assertThat(events).containsExactly(ConnectionTimeout.READ);
    }

    @Test
    void whileAnAnswerIsWorkedOnNeitherIdleNorReadTimeoutApplies() {
        ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));
        ExchangeEvent.REQUEST_RECEIVED.announce(ch);
        ExchangeEvent.STARTED.announce(ch);
        advance(10_000);
        assertThat(ch.isOpen()).as("nothing waits to be written: no write stall either").isTrue();
        ExchangeEvent.ENDED.announce(ch);
        advance(1300);
        assertThat(ch.isOpen()).isFalse();
        assertThat(events).contains(ConnectionTimeout.IDLE);
    }
}
