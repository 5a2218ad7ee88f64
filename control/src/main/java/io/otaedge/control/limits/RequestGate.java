package io.otaedge.control.limits;

import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DuplexChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

/**
 * Refuses, before any route sees it, a request whose client-controlled parts are past the port's limits or
 * malformed: a request-target with a broken %-escape or a character outside RFC 3986 (400), too long (414),
 * too many query parameters (400), too many or too large headers (431), a declared body past the port's
 * limit (413), anything the codec could not parse (400), an HTTP major version other than 1 (505, RFC 9110
 * §15.6.6). A later 1.x minor is passed on as HTTP/1.1; HTTP/1.0 is left as it is, with its own keep-alive rule. The answer is JSON in the path's dialect
 * ({@link LimitReplies}) with {@code Connection: close}; the rest of the request is dropped unread and the
 * connection closed. A body the codec cannot parse (a broken chunk) is passed on for its route to answer, and the
 * connection closes after that answer: the codec reads nothing more, so a request pipelined behind it would
 * otherwise wait for an answer that never comes. Sits after the HTTP codec, one per connection.
 */
public final class RequestGate extends ChannelDuplexHandler {

    /** Told of every refusal: its kind (a short code) and the message the client got. */
    public interface Listener {
        void refused(String kind, String message);
    }

    private static final Duration LINGER = Duration.ofSeconds(2);

    private final GateReplies replies;
    private final ControlLimits limits;
    /** Largest declared body accepted, or {@code Long.MAX_VALUE} where the routes bound their bodies themselves. */
    private final long maxBody;
    private final Listener listener;
    private boolean refusing;
    /** The codec failed inside a body: close once every request read so far is answered. */
    private boolean brokenBody;
    private long requestsRead;
    private long answersStarted;

    public RequestGate(GateReplies replies, ControlLimits limits, long maxBody, Listener listener) {
        this.replies = replies;
        this.limits = limits;
        this.maxBody = maxBody;
        this.listener = listener;
    }

    /** The codec's line limit: twice the URI limit, so a target just past it is still read and its dialect known. */
    public static int codecLineLimit(ControlLimits limits) {
        return 2 * limits.maxUriLength() + 32;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (refusing || !ctx.channel().isActive()) {
            // Refused already, or closed (the codec reports a head cut short by the close): nothing to answer.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpContent content && !(msg instanceof HttpRequest) && content.decoderResult().isFailure()) {
            brokenBody = true;
        }
        if (msg instanceof HttpRequest request) {
            requestsRead++;
            Refusal r = judge(request);
            if (r != null) {
                refusing = true;
                ReferenceCountUtil.release(msg);
                refuse(ctx, request.uri(), r);
                return;
            }
            String origin = RequestTargets.originForm(request.uri());
            if (origin != null) {
                request.setUri(origin);
            }
            String target = RequestTargets.queryEscaped(request.uri());
            if (target != null) {
                request.setUri(target);
            }
            if (request.protocolVersion().minorVersion() > 1) {
                // HTTP/1.2 and later minors are read as 1.1 (RFC 9112 §2.3), so they are answered as 1.1.
                request.setProtocolVersion(HttpVersion.HTTP_1_1);
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            answersStarted++;
            if (brokenBody && answersStarted >= requestsRead) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        }
        if (msg instanceof LastHttpContent && brokenBody && !refusing && answersStarted >= requestsRead) {
            ctx.write(msg, promise.unvoid()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.write(msg, promise);
    }

    private record Refusal(HttpResponseStatus status, String code, String message) {
    }

    private Refusal judge(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            if (cause instanceof TooLongHttpLineException) {
                return new Refusal(HttpResponseStatus.REQUEST_URI_TOO_LONG, "uri_too_long",
                        "the request line is longer than " + codecLineLimit(limits) + " characters");
            }
            if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
                return new Refusal(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large",
                        "the request headers are larger than " + limits.maxHeaderSize() + " bytes");
            }
            return new Refusal(HttpResponseStatus.BAD_REQUEST, "malformed_request",
                    "the request is not valid HTTP/1.1: " + cause.getMessage());
        }
        if (request.protocolVersion().majorVersion() != 1) {
            return new Refusal(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "version_not_supported",
                    request.protocolVersion().text() + " is not supported; this server speaks HTTP/1.1");
        }
        String target = request.uri();
        if (target.length() > limits.maxUriLength()) {
            return new Refusal(HttpResponseStatus.REQUEST_URI_TOO_LONG, "uri_too_long",
                    "the request-target is longer than " + limits.maxUriLength() + " characters");
        }
        if (request.headers().size() > limits.maxHeaders()) {
            return new Refusal(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "too_many_headers",
                    "the request has more than " + limits.maxHeaders() + " header fields");
        }
        String bad = RequestTargets.problem(target);
        if (bad != null) {
            return new Refusal(HttpResponseStatus.BAD_REQUEST, LimitReplies.MALFORMED, "the request-target has " + bad);
        }
        if (RequestTargets.queryParameters(target) > limits.maxQueryParameters()) {
            return new Refusal(HttpResponseStatus.BAD_REQUEST, "too_many_query_parameters",
                    "the query has more than " + limits.maxQueryParameters() + " parameters");
        }
        long declared;
        try {
            declared = HttpUtil.getContentLength(request, -1L);
        } catch (NumberFormatException e) {
            return new Refusal(HttpResponseStatus.BAD_REQUEST, "bad_content_length", "Content-Length is not a number");
        }
        if (declared > maxBody) {
            return new Refusal(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                    "the request body is larger than " + maxBody + " bytes");
        }
        return null;
    }

    private void refuse(ChannelHandlerContext ctx, String target, Refusal r) {
        listener.refused(r.code(), r.message());
        LimitReplies.Reply reply = LimitReplies.of(replies, RequestTargets.path(target), r.status().code(), r.code(), r.message());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.body()));
        response.headers().set("Content-Type", "application/json")
                .set("Content-Length", reply.body().length)
                .set("Connection", "close");
        // A lingering close: the client may still be sending what is refused, and closing with unread bytes
        // would reset the connection and destroy the answer before the client reads it. So stop writing,
        // drop what still comes, and close when the client does or after a short while.
        ctx.writeAndFlush(response).addListener(f -> {
            if (f.isSuccess() && ctx.channel() instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
                ctx.executor().schedule(() -> ctx.close(), LINGER.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                ctx.close();
            }
        });
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!refusing) {
            ctx.fireChannelReadComplete();
        }
    }
}
