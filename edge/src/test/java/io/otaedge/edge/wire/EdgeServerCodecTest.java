package io.otaedge.edge.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.otaedge.edge.exchange.Disposition;
import io.otaedge.edge.exchange.Exchanges;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The codec in isolation: what reaches the transport for heads the edge encoded and heads Netty
 * encoded, mixed on one connection, the parts of Netty's server codec it keeps (HEAD answers
 * without body, close after a smuggling-shaped request, the cap on unanswered requests), and the
 * close after a decoding failure (found by the socket fuzzer: a broken chunked body left the
 * connection open with the pipelined request behind it never answered).
 */
class EdgeServerCodecTest {

    private final EmbeddedChannel ch = new EmbeddedChannel(new EdgeServerCodec(new HttpDecoderConfig()));

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    @Test
    void anEncodedResponseAndItsBodyPassUnchanged() {
        receive("GET /a HTTP/1.1\r\n\r\n");
        ch.write(head("HTTP/1.1 206 Partial Content\r\nContent-Length: 3\r\n\r\n"));
        ch.write(ascii("abc"));
        ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(sent()).isEqualTo("HTTP/1.1 206 Partial Content\r\nContent-Length: 3\r\n\r\nabc");
    }

    @Test
    void aWholeEncodedResponseIsItsOwnLastWriteAndAnswersOneRequest() {
        receive("HEAD /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
        ChannelFuture first = ch.writeAndFlush(EncodedResponse.whole(200, ascii("W1\r\n\r\n"), 0));
        ch.writeAndFlush(Responses.full(HttpResponseStatus.NOT_FOUND, Disposition.KEEP_ALIVE, WireHeaders.TEXT_PLAIN,
                "kept".getBytes(StandardCharsets.US_ASCII)));
        assertThat(first.isSuccess()).isTrue();
        assertThat(sent()).startsWith("W1\r\n\r\nHTTP/1.1 404").endsWith("\r\n\r\nkept");
    }

    @Test
    void encodedAndNettyEncodedResponsesAlternateOnOneConnection() {
        receive("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n");
        ch.write(head("H1\r\n\r\n"));
        ch.write(ascii("one"));
        ch.write(LastHttpContent.EMPTY_LAST_CONTENT);
        ch.write(Responses.full(HttpResponseStatus.NOT_FOUND, Disposition.KEEP_ALIVE, WireHeaders.TEXT_PLAIN,
                "no".getBytes(StandardCharsets.US_ASCII)));
        ch.write(head("H3\r\n\r\n"));
        ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        String sent = sent();
        assertThat(sent).startsWith("H1\r\n\r\noneHTTP/1.1 404 Not Found\r\n").endsWith("\r\n\r\nnoH3\r\n\r\n");
    }

    @Test
    void answersToHeadCarryNoBodyWhicheverWayTheirHeadWasEncoded() {
        receive("HEAD /a HTTP/1.1\r\n\r\nHEAD /b HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n");
        ch.write(head("H1\r\n\r\n"));
        ch.write(ascii("dropped"));
        ch.write(LastHttpContent.EMPTY_LAST_CONTENT);
        FullHttpResponse error = Responses.full(HttpResponseStatus.NOT_FOUND, Disposition.KEEP_ALIVE,
                WireHeaders.TEXT_PLAIN, "dropped too".getBytes(StandardCharsets.US_ASCII));
        ch.write(error);
        ch.write(Responses.full(HttpResponseStatus.NOT_FOUND, Disposition.KEEP_ALIVE, WireHeaders.TEXT_PLAIN,
                "kept".getBytes(StandardCharsets.US_ASCII)));
        ch.flush();
        String sent = sent();
        assertThat(sent).startsWith("H1\r\n\r\nHTTP/1.1 404").doesNotContain("dropped").endsWith("\r\n\r\nkept");
    }

    @Test
    void aRequestWithBothChunkedAndContentLengthClosesTheConnectionAfterItsAnswer() {
        // With RFC 9112's rule (Netty's default, the edge's setting) such a request is a decoding
        // failure, answered with 400 and a close; with the older rule it is decoded, and then closes.
        EmbeddedChannel lenient = new EmbeddedChannel(
                new EdgeServerCodec(new HttpDecoderConfig().setUseRfc9112TransferEncoding(false)));
        try {
            lenient.writeInbound(ascii("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
                    + "0\r\n\r\n"));
            HttpRequest req = lenient.readInbound();
            assertThat(req.decoderResult().isSuccess()).isTrue();
            lenient.write(head("H1\r\n\r\n"));
            ChannelFuture last = lenient.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            assertThat(last.isSuccess()).isTrue();
            assertThat(lenient.isOpen()).isFalse();
        } finally {
            lenient.finishAndReleaseAll();
        }
    }

    @Test
    void aBrokenChunkedBodyClosesTheConnectionOnceTheResponsesOwedAreWritten() {
        receive("GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2zz\r\nab\r\n0\r\n\r\n"
                + "GET /c HTTP/1.1\r\n\r\n");
        ch.write(head("H1\r\n\r\n"));
        ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(ch.isOpen()).isTrue();
        ch.writeAndFlush(Responses.full(HttpResponseStatus.METHOD_NOT_ALLOWED, Disposition.KEEP_ALIVE,
                WireHeaders.TEXT_PLAIN, "no".getBytes(StandardCharsets.US_ASCII)));
        assertThat(ch.isOpen()).isFalse();
        assertThat(sent()).startsWith("H1\r\n\r\nHTTP/1.1 405 ").endsWith("\r\n\r\nno");
    }

    @Test
    void aBrokenChunkedBodyWithNoResponseOwedClosesTheConnectionAtOnce() {
        receive("POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
        ch.writeAndFlush(Responses.full(HttpResponseStatus.METHOD_NOT_ALLOWED, Disposition.KEEP_ALIVE,
                WireHeaders.TEXT_PLAIN, "no".getBytes(StandardCharsets.US_ASCII)));
        assertThat(ch.isOpen()).isTrue();
        receive("2zz\r\nab\r\n0\r\n\r\nGET /c HTTP/1.1\r\n\r\n");
        assertThat(ch.isOpen()).isFalse();
        assertThat(sent()).startsWith("HTTP/1.1 405 ").endsWith("\r\n\r\nno");
    }

    @Test
    void aHeadWhileAnotherResponseIsWrittenFailsThatWrite() {
        receive("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
        ch.write(head("H1\r\n\r\n"));
        EncodedResponse second = head("H2\r\n\r\n");
        ChannelFuture f = ch.writeAndFlush(second);
        assertThat(f.cause()).isInstanceOf(IllegalStateException.class);
        assertThat(second.refCnt()).isZero();
    }

    @Test
    void moreUnansweredRequestsThanTheCapFailTheConnection() {
        String many = "GET /x HTTP/1.1\r\n\r\n".repeat(Exchanges.CAPACITY + 1);
        assertThatThrownBy(() -> receive(many)).isInstanceOf(TooLongFrameException.class);
        int requests = 0;
        for (Object in; (in = ch.readInbound()) != null; ReferenceCountUtil.release(in)) {
            if (in instanceof HttpRequest) {
                requests++;
            }
        }
        assertThat(requests).isEqualTo(Exchanges.CAPACITY);
    }

    private void receive(String requests) {
        ch.writeInbound(ascii(requests));
        for (Object in; (in = ch.readInbound()) != null; ) {
            ReferenceCountUtil.release(in);
        }
    }

    private String sent() {
        StringBuilder b = new StringBuilder();
        for (Object out; (out = ch.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) out;
            b.append(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }
        return b.toString();
    }

    private static EncodedResponse head(String bytes) {
        return EncodedResponse.head(200, ascii(bytes));
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }
}
