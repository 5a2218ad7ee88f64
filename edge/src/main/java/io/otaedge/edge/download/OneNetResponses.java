package io.otaedge.edge.download;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.otaedge.edge.wire.EdgeError;
import io.otaedge.edge.wire.WireHeaders;
import io.otaedge.edge.range.HttpDates;

/**
 * Errors in OneNET's download dialect: a one-character body and <em>no</em> {@code Content-Length}
 * — that absence is how a OneNET device tells an error code from a file — so the connection is
 * closed after the byte to delimit the body. Codes: {@code 1} resource not found, {@code 2} size
 * mismatch, {@code 3} invalid token, {@code 4} failed to get the file, {@code 5} bad parameters,
 * {@code 6} NB base-station limit (503 with Retry-After: the device comes back later).
 * The HTTP status still says what happened, for every other client and for operators' logs.
 */
final class OneNetResponses {

    private OneNetResponses() {
    }

    static FullHttpResponse error(EdgeError error, long retryAfterSeconds) {
        char code;
        HttpResponseStatus status;
        switch (error) {
            case TOKEN_NOT_FOUND -> {
                code = '3';
                status = HttpResponseStatus.NOT_FOUND;
            }
            case BLOB_UNAVAILABLE, NO_ROUTE -> {
                code = '1';
                status = HttpResponseStatus.NOT_FOUND;
            }
            case BLOB_CORRUPT -> {
                code = '2';
                status = HttpResponseStatus.SERVICE_UNAVAILABLE;
            }
            case METHOD_NOT_ALLOWED -> {
                code = '5';
                status = HttpResponseStatus.METHOD_NOT_ALLOWED;
            }
            case CELL_FULL -> {
                code = '6';
                status = HttpResponseStatus.SERVICE_UNAVAILABLE;
            }
            case INTERNAL_ERROR, CONTROL_REFUSED -> {
                // "failed to get the file", but nothing a retry fixes: no Retry-After
                code = '4';
                status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
            }
            case BAD_PARAMETERS, BAD_REQUEST, URI_TOO_LONG, HEADERS_TOO_LARGE, PRECONDITION_FAILED,
                 RANGE_NOT_SATISFIABLE -> {
                code = '5';
                status = HttpResponseStatus.BAD_REQUEST;
            }
            default -> {
                // token store down, overloaded, shutting down: "failed to get the file", retry later
                code = '4';
                status = HttpResponseStatus.SERVICE_UNAVAILABLE;
            }
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(new byte[] {(byte) code}),
                DefaultHttpHeadersFactory.headersFactory().withValidation(false),
                DefaultHttpHeadersFactory.trailersFactory().withValidation(false));
        HttpHeaders h = r.headers();
        h.set(WireHeaders.DATE, HttpDates.now());
        h.set(WireHeaders.CONTENT_TYPE, WireHeaders.TEXT_PLAIN);
        h.set(WireHeaders.CONNECTION, WireHeaders.CLOSE);
        if (status.code() == 503) {
            h.set(WireHeaders.RETRY_AFTER, retryAfterSeconds);
        }
        if (error == EdgeError.METHOD_NOT_ALLOWED) {
            h.set(WireHeaders.ALLOW, WireHeaders.GET_HEAD);
        }
        return r;
    }
}
