package io.otaedge.edge.wire;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.otaedge.edge.exchange.Disposition;
import io.otaedge.edge.range.HttpDates;

/**
 * Builds response heads. Header names come from {@link WireHeaders} only; values are produced by
 * the edge itself (numbers, hex digests, a sanitised file name), so Netty's per-header name and
 * value validation (a measurable share of a small range's cost) is switched off for responses.
 */
public final class Responses {

    private static final HttpHeadersFactory HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false).withValueValidation(false)
                    .withCombiningHeaders(false);
    private static final HttpHeadersFactory TRAILERS =
            DefaultHttpHeadersFactory.trailersFactory().withValidation(false).withValueValidation(false);

    private Responses() {
    }

    /** A response head with a {@code Date} and the connection disposition already set. */
    public static HttpResponse head(HttpResponseStatus status, Disposition connection) {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, HEADERS);
        base(r.headers(), connection);
        return r;
    }

    /** A complete response with a small body and an exact {@code Content-Length}. */
    public static FullHttpResponse full(HttpResponseStatus status, Disposition connection,
                                        CharSequence contentType, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body), HEADERS, TRAILERS);
        HttpHeaders h = r.headers();
        base(h, connection);
        h.set(WireHeaders.CONTENT_TYPE, contentType);
        h.set(WireHeaders.CONTENT_LENGTH, body.length);
        return r;
    }

    /**
     * The answer to a device-API call the edge fronts: a small body, an exact {@code Content-Length}, and
     * the service's {@code Retry-After} when it gave one (null: none).
     */
    public static FullHttpResponse api(HttpResponseStatus status, Disposition connection, CharSequence contentType,
                                       byte[] body, String retryAfter) {
        FullHttpResponse r = new ApiResponse(status, Unpooled.wrappedBuffer(body), HEADERS, TRAILERS);
        HttpHeaders h = r.headers();
        base(h, connection);
        h.set(WireHeaders.CONTENT_TYPE, contentType);
        h.set(WireHeaders.CONTENT_LENGTH, body.length);
        if (retryAfter != null) {
            h.set(WireHeaders.RETRY_AFTER, retryAfter);
        }
        return r;
    }

    /** A response that never has a body (304). */
    public static FullHttpResponse empty(HttpResponseStatus status, Disposition connection) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER, HEADERS, TRAILERS);
        base(r.headers(), connection);
        return r;
    }

    /** The JSON error response; 503s say when to retry, 405s what is allowed. */
    public static FullHttpResponse error(EdgeError error, Disposition connection, long retryAfterSeconds) {
        FullHttpResponse r = full(error.status(), connection, WireHeaders.JSON_UTF8, error.body());
        if (error.retryable()) {
            r.headers().set(WireHeaders.RETRY_AFTER, retryAfterSeconds);
        }
        if (error == EdgeError.METHOD_NOT_ALLOWED) {
            r.headers().set(WireHeaders.ALLOW, WireHeaders.GET_HEAD);
        }
        return r;
    }

    private static void base(HttpHeaders h, Disposition connection) {
        h.set(WireHeaders.DATE, HttpDates.now());
        switch (connection) {
            case CLOSE -> h.set(WireHeaders.CONNECTION, WireHeaders.CLOSE);
            case KEEP_ALIVE_1_0 -> h.set(WireHeaders.CONNECTION, WireHeaders.KEEP_ALIVE);
            case KEEP_ALIVE -> {
                // HTTP/1.1 persists by default: no header needed
            }
        }
    }
}
