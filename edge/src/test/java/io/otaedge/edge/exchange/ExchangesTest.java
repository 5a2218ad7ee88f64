package io.otaedge.edge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.otaedge.edge.wire.EdgeServerCodec;
import io.otaedge.edge.wire.EncodedResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The connection's exchange record as the codec keeps it, on an {@link EmbeddedChannel} with frozen time: a
 * request enters when decoded with its arrival time, is ready to answer only once received to its end (with
 * {@link ExchangeEvent#REQUEST_RECEIVED} announced), and leaves when its response's end is written; after a
 * decoding failure the answer to the last request says close.
 */
class ExchangesTest {

    final List<Object> events = new ArrayList<>();
    final EmbeddedChannel ch = EmbeddedChannel.builder().handlers(new EdgeServerCodec(new HttpDecoderConfig()),
            new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    events.add(evt);
                }
            }).build();
    final Exchanges exchanges = Exchanges.of(ch);

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    void receive(String bytes) {
        ch.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    }

    @Test
    void aRequestIsReadyToAnswerOnlyOnceReceivedToItsEnd() {
        ch.freezeTime();
        long t0 = ch.eventLoop().ticker().nanoTime();
        receive("POST /a HTTP/1.1\r\nContent-Length: 4\r\n\r\nab");
        assertThat(exchanges.size()).isEqualTo(1);
        assertThat(exchanges.nextToAnswer()).isNull();
        assertThat(events).isEmpty();
        ch.advanceTimeBy(5, TimeUnit.SECONDS);
        receive("cd");
        HttpRequest a = exchanges.nextToAnswer();
        assertThat(a.uri()).isEqualTo("/a");
        assertThat(events).containsExactly(ExchangeEvent.REQUEST_RECEIVED);
        assertThat(exchanges.oldestArrival(-1)).isEqualTo(t0);
    }

    @Test
    void pipelinedRequestsAreAnsweredOldestFirstAndLeaveAtTheirResponsesEnd() {
        receive("HEAD /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
        assertThat(exchanges.size()).isEqualTo(2);
        assertThat(exchanges.oldestIsHead()).isTrue();
        exchanges.start();
        assertThat(exchanges.nextToAnswer()).as("one answer at a time").isNull();
        ch.writeAndFlush(EncodedResponse.head(200, Unpooled.copiedBuffer("H", StandardCharsets.US_ASCII)));
        assertThat(exchanges.size()).as("still being answered").isEqualTo(2);
        ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        exchanges.end();
        assertThat(exchanges.size()).isEqualTo(1);
        assertThat(exchanges.nextToAnswer().uri()).isEqualTo("/b");
        assertThat(exchanges.oldestIsHead()).isFalse();
        for (Object m; (m = ch.readOutbound()) != null; ) {
            ((ByteBuf) m).release();
        }
    }

    @Test
    void afterADecodingFailureTheAnswerToTheLastRequestCloses() {
        receive("GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
        exchanges.start();
        assertThat(exchanges.connection()).isEqualTo(Disposition.KEEP_ALIVE);
        receive("2zz\r\nab\r\n0\r\n\r\n");
        assertThat(exchanges.isInputEnded()).isTrue();
        assertThat(exchanges.connection()).as("/b still follows").isEqualTo(Disposition.KEEP_ALIVE);
        exchanges.responded();
        exchanges.end();
        exchanges.start();
        assertThat(exchanges.connection()).as("/b is the last").isEqualTo(Disposition.CLOSE);
    }
}
