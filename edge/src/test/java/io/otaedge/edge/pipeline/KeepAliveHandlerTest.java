package io.otaedge.edge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.otaedge.edge.exchange.Disposition;
import io.otaedge.edge.exchange.ExchangeEvent;
import io.otaedge.edge.exchange.Exchanges;
import io.otaedge.edge.wire.EncodedResponse;
import io.otaedge.edge.wire.Responses;
import io.otaedge.edge.wire.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The keep-alive handler alone on an {@link EmbeddedChannel}, the record filled by hand as the codec would:
 * the decision it puts in the record at {@link ExchangeEvent#STARTED}, the close after a response that does
 * not keep the connection (either kind of head), and the drain at shutdown.
 */
class KeepAliveHandlerTest {

    final AtomicBoolean serverDraining = new AtomicBoolean();
    final EmbeddedChannel ch = new EmbeddedChannel(new KeepAliveHandler(serverDraining::get));
    final Exchanges exchanges = Exchanges.of(ch);

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    Disposition start(HttpVersion version, String connection) {
        HttpRequest req = new DefaultHttpRequest(version, HttpMethod.GET, "/ota/download/x");
        if (connection != null) {
            req.headers().set("Connection", connection);
        }
        exchanges.arrived(req, 0);
        exchanges.received();
        exchanges.start();
        ExchangeEvent.STARTED.announce(ch);
        return exchanges.connection();
    }

    void end() {
        exchanges.responded();
        exchanges.end();
        ExchangeEvent.ENDED.announce(ch);
    }

    @Test
    void decidesFromTheRequestWhenTheAnswerStarts() {
        assertThat(start(HttpVersion.HTTP_1_1, null)).isEqualTo(Disposition.KEEP_ALIVE);
        end();
        assertThat(start(HttpVersion.HTTP_1_0, "keep-alive")).isEqualTo(Disposition.KEEP_ALIVE_1_0);
        end();
        assertThat(start(HttpVersion.HTTP_1_1, "close")).isEqualTo(Disposition.CLOSE);
        end();
        assertThat(start(HttpVersion.HTTP_1_0, null)).isEqualTo(Disposition.CLOSE);
    }

    @Test
    void anEncodedResponseBuiltOnACloseClosesAfterItsLastWrite() {
        start(HttpVersion.HTTP_1_1, "close");
        ch.write(EncodedResponse.head(200, Unpooled.copiedBuffer("H", StandardCharsets.US_ASCII)));
        assertThat(ch.isOpen()).isTrue();
        ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aNettyResponseThatSaysCloseClosesAndOneThatKeepsDoesNot() {
        start(HttpVersion.HTTP_1_1, null);
        ch.writeAndFlush(Responses.full(HttpResponseStatus.NOT_FOUND, Disposition.KEEP_ALIVE, WireHeaders.TEXT_PLAIN,
                new byte[] {'x'}));
        end();
        assertThat(ch.isOpen()).isTrue();
        start(HttpVersion.HTTP_1_1, null);
        ch.writeAndFlush(Responses.full(HttpResponseStatus.NOT_FOUND, Disposition.CLOSE, WireHeaders.TEXT_PLAIN,
                new byte[] {'x'}));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aKeptConnectionStaysOpenAfterAWholeEncodedResponse() {
        start(HttpVersion.HTTP_1_1, null);
        ch.writeAndFlush(EncodedResponse.whole(200, Unpooled.copiedBuffer("HB", StandardCharsets.US_ASCII), 1));
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void aDrainClosesAnIdleConnectionAtOnce() {
        ExchangeEvent.DRAIN.announce(ch);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aDrainDuringAnAnswerTurnsItIntoTheLastOne() {
        start(HttpVersion.HTTP_1_1, null);
        ExchangeEvent.DRAIN.announce(ch);
        assertThat(ch.isOpen()).isTrue();
        assertThat(exchanges.connection()).isEqualTo(Disposition.CLOSE);
        ch.writeAndFlush(EncodedResponse.whole(200, Unpooled.copiedBuffer("HB", StandardCharsets.US_ASCII), 1));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void onceTheServerDrainsEveryAnswerCloses() {
        serverDraining.set(true);
        assertThat(start(HttpVersion.HTTP_1_1, null)).isEqualTo(Disposition.CLOSE);
        ch.writeAndFlush(Responses.full(HttpResponseStatus.OK, Disposition.KEEP_ALIVE, WireHeaders.TEXT_PLAIN,
                new byte[] {'x'}));
        assertThat(ch.isOpen()).isFalse();
        for (Object m; (m = ch.readOutbound()) != null; ) {
            ReferenceCountUtil.release(m);
        }
    }
}
