package io.otaedge.edge.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.otaedge.edge.exchange.ExchangeEvent;
import io.otaedge.edge.exchange.Exchanges;
import java.util.List;

/**
 * The edge's HTTP/1.1 server codec: Netty's request decoder and response encoder, with one
 * addition Netty's {@code HttpServerCodec} cannot take: an {@link EncodedResponse}, a response or
 * head the edge encoded itself, goes to the transport as it is, and so do the body and the
 * {@code LastHttpContent} that follow a head. Netty's encoder rejects bytes outside a response it
 * encoded itself, and {@code HttpServerCodec} pairs every request with a response it encodes (to
 * know which answers a HEAD): a head written past it would leave that pairing one behind for the
 * rest of the connection. So the pairing lives here, where both kinds of head take their turn: the codec
 * keeps the connection's {@link Exchanges} record (a request enters when decoded, is marked received at
 * its end, with {@link ExchangeEvent#REQUEST_RECEIVED} announced, and leaves when its response's end is
 * written), and reads there whether the response being written answers a HEAD.
 *
 * <p>Kept from {@code HttpServerCodec}: a response to HEAD never carries a body, even when one was
 * written (errors are built the same for GET and HEAD); a request that came with both
 * {@code Transfer-Encoding: chunked} and {@code Content-Length} closes the connection after its
 * response (request smuggling); at most {@value Exchanges#CAPACITY} requests wait unanswered
 * before the connection fails. Added: once the decoder has failed (a broken chunked body after a
 * whole head, say), it discards every later byte, so no request can follow: the responses still
 * owed go out, then the connection closes (at once when none is owed). Not kept: {@code CONNECT}
 * handling, which the edge never answers with 2xx.
 */
public final class EdgeServerCodec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {

    private final Encoder encoder = new Encoder();
    private Exchanges exchanges;
    private boolean closeAfterResponse;
    /** After a decoding failure: responses still owed before the close; 0 when none is planned. */
    private int closeAfterOwed;

    public EdgeServerCodec(HttpDecoderConfig config) {
        init(new Decoder(config), encoder);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        exchanges = Exchanges.of(ctx.channel());
        super.handlerAdded(ctx);
    }

    private final class Decoder extends HttpRequestDecoder {
        private boolean discard;

        Decoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (discard) {
                buffer.skipBytes(buffer.readableBytes());
                return;
            }
            int from = out.size();
            super.decode(ctx, buffer, out);
            for (int i = from; i < out.size(); i++) {
                Object msg = out.get(i);
                boolean failed = msg instanceof DecoderResultProvider p && p.decoderResult().isFailure();
                if (msg instanceof HttpRequest req) {
                    if (exchanges.isFull()) {
                        tooManyUnanswered(out, from);
                    }
                    exchanges.arrived(req, ctx.executor().ticker().nanoTime());
                }
                if (msg instanceof LastHttpContent || failed && msg instanceof HttpRequest) {
                    // A failed head has no body: nothing more of that request follows.
                    exchanges.received();
                    ExchangeEvent.REQUEST_RECEIVED.announce(ctx.channel());
                }
                if (failed) {
                    closeWhenAnswered(ctx);
                }
            }
        }

        /**
         * Netty's decoder discards everything after a failure: what it decoded before is all this
         * connection will ever ask. Only the failed decode pays for this check's outcome.
         */
        private void closeWhenAnswered(ChannelHandlerContext ctx) {
            discard = true;
            exchanges.inputEnded();
            // A response being written still counts: its request leaves the record at the response's end.
            int owed = exchanges.size();
            if (owed == 0) {
                // Behind the writes already issued, which may still wait for the socket.
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            } else {
                closeAfterOwed = owed;
            }
        }

        /** Drops what this call decoded and everything after: the connection fails here. */
        private void tooManyUnanswered(List<Object> out, int from) {
            discard = true;
            closeAfterResponse = true;
            while (out.size() > from) {
                ReferenceCountUtil.release(out.remove(out.size() - 1));
            }
            throw new TooLongFrameException("more than " + Exchanges.CAPACITY + " unanswered requests");
        }

        @Override
        protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
            super.handleTransferEncodingChunkedWithContentLength(message);
            closeAfterResponse = true;
        }
    }

    private final class Encoder extends HttpResponseEncoder {
        /** Between an {@link EncodedResponse} head and its response's LastHttpContent. */
        private boolean passing;
        /** Passing the response to a HEAD request: body bytes are dropped. */
        private boolean passingBodiless;
        /** Between a head Netty's encoder took and its response's LastHttpContent. */
        private boolean encoding;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if ((closeAfterResponse || closeAfterOwed > 0) && endsResponse(msg) && closesAfter()) {
                promise = promise.unvoid().addListener(ChannelFutureListener.CLOSE);
            }
            boolean ends = endsResponse(msg) && !interim(msg);
            if (msg instanceof EncodedResponse encoded) {
                pass(ctx, encoded, promise);
            } else if (passing) {
                passBody(ctx, msg, promise);
            } else {
                boolean starts = msg instanceof HttpResponse;
                boolean last = msg instanceof LastHttpContent;
                super.write(ctx, msg, promise);
                if (starts || last) {
                    encoding = !last;
                }
            }
            if (ends) {
                exchanges.responded();
            }
        }

        /** An interim 1xx answers no request of its own. */
        private static boolean interim(Object msg) {
            return msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        }

        /** Called at the end of each response while a close is planned: whether this one is the last. */
        private boolean closesAfter() {
            if (closeAfterResponse) {
                closeAfterResponse = false;
                closeAfterOwed = 0;
                return true;
            }
            return --closeAfterOwed == 0;
        }

        private static boolean endsResponse(Object msg) {
            return msg instanceof LastHttpContent || msg instanceof EncodedResponse r && r.isWhole();
        }

        private void pass(ChannelHandlerContext ctx, EncodedResponse encoded, ChannelPromise promise) {
            if (passing || encoding) {
                encoded.release();
                throw new IllegalStateException("a response head while another response is being written");
            }
            // A whole response answers a HEAD without body already: its writer knows the method too.
            boolean bodiless = exchanges.oldestIsHead();
            if (!encoded.isWhole()) {
                passing = true;
                passingBodiless = bodiless;
            }
            ctx.write(encoded.content(), promise);
        }

        private void passBody(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpMessage) {
                ReferenceCountUtil.release(msg);
                throw new IllegalStateException("a response head while another response is being written");
            }
            Object out = msg;
            if (msg instanceof HttpContent c) {
                out = c.content().retain();
                c.release();
                passing = !(msg instanceof LastHttpContent);
            }
            if (passingBodiless && (out instanceof ByteBuf || out instanceof FileRegion)) {
                ReferenceCountUtil.release(out);
                out = Unpooled.EMPTY_BUFFER;
            }
            ctx.write(out, promise);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            if (interim(msg)) {
                return super.isContentAlwaysEmpty(msg);
            }
            return exchanges.oldestIsHead() || super.isContentAlwaysEmpty(msg);
        }
    }
}
