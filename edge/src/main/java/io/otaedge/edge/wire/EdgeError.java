package io.otaedge.edge.wire;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.otaedge.common.json.Json;

/**
 * Every error the standard download path can answer, with its status and JSON body
 * {@code {"error":"…","message":"…"}}. Bodies are serialised once: they never depend on the
 * request, so nothing a client sends is echoed back and no stack trace reaches the wire.
 */
public enum EdgeError {
    /** Unknown, expired, revoked and malformed tokens alike: the edge never says which. */
    TOKEN_NOT_FOUND(HttpResponseStatus.NOT_FOUND, "not_found", "unknown or expired download token"),
    NO_ROUTE(HttpResponseStatus.NOT_FOUND, "not_found", "no such resource"),
    METHOD_NOT_ALLOWED(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "only GET and HEAD are allowed"),
    RANGE_NOT_SATISFIABLE(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "range_not_satisfiable",
            "no requested range overlaps the firmware"),
    PRECONDITION_FAILED(HttpResponseStatus.PRECONDITION_FAILED, "precondition_failed",
            "the firmware does not match the request's preconditions"),
    BAD_REQUEST(HttpResponseStatus.BAD_REQUEST, "bad_request", "malformed HTTP request"),
    URI_TOO_LONG(HttpResponseStatus.REQUEST_URI_TOO_LONG, "uri_too_long", "request line too long"),
    HEADERS_TOO_LARGE(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large",
            "request header fields too large"),
    TOKEN_STORE_UNAVAILABLE(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
            "the token store is unavailable; retry later"),
    BLOB_UNAVAILABLE(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
            "the firmware is not available on this edge; retry later"),
    BLOB_CORRUPT(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
            "the firmware on this edge does not match its record; retry later"),
    ORIGIN_FAILED(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
            "the firmware could not be fetched for this edge; retry later"),
    BAD_PARAMETERS(HttpResponseStatus.BAD_REQUEST, "bad_request", "malformed query parameters"),
    /** An exception while answering: the edge's own fault, logged with its stack trace, never echoed. */
    INTERNAL_ERROR(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error",
            "the edge failed to answer this request"),
    /**
     * Control refused the edge itself (a wrong OTA_INTERNAL_SECRET or control URL): a fault of the
     * deployment that no retry by the device mends, so no Retry-After; LuatOS reads it as "no upgrade".
     */
    CONTROL_REFUSED(HttpResponseStatus.INTERNAL_SERVER_ERROR, "misconfigured",
            "this edge is not allowed to ask for upgrade decisions; no upgrade for now"),
    OVERLOADED(HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded", "too many connections; retry later"),
    /** The download's NB-IoT cell ({@code s_id}) has all its download slots taken (OTA_EDGE_CELL_CAP). */
    CELL_FULL(HttpResponseStatus.SERVICE_UNAVAILABLE, "cell_full",
            "too many downloads in this base station's cell; retry later");

    private final HttpResponseStatus status;
    private final byte[] body;

    EdgeError(HttpResponseStatus status, String error, String message) {
        this.status = status;
        this.body = Json.bytes(new Body(error, message));
    }

    public HttpResponseStatus status() {
        return status;
    }

    /** The JSON body; shared, so callers wrap it and never write into it. */
    byte[] body() {
        return body;
    }

    /** The answer to a request the decoder gave up on. */
    public static EdgeError ofDecodeFailure(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return URI_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return HEADERS_TOO_LARGE;
        }
        return BAD_REQUEST;
    }

    public boolean retryable() {
        return status.code() == 503;
    }

    private record Body(String error, String message) {
    }
}
