package io.otaedge.edge.wire;

import io.netty.util.AsciiString;

/**
 * Response header names exactly as they go on the wire. Netty's {@code HttpHeaderNames} are
 * lowercase, and some device SDKs (Aliyun's C SDK) find {@code Content-Length} with a
 * case-sensitive compare, so every response header the edge writes is named from here.
 * Request headers are still read case-insensitively through Netty's own lookups.
 */
public final class WireHeaders {

    public static final AsciiString ACCEPT_RANGES = AsciiString.cached("Accept-Ranges");
    public static final AsciiString ALLOW = AsciiString.cached("Allow");
    public static final AsciiString CONNECTION = AsciiString.cached("Connection");
    public static final AsciiString CONTENT_DISPOSITION = AsciiString.cached("Content-Disposition");
    public static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
    public static final AsciiString CONTENT_RANGE = AsciiString.cached("Content-Range");
    public static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
    public static final AsciiString DATE = AsciiString.cached("Date");
    public static final AsciiString ETAG = AsciiString.cached("ETag");
    public static final AsciiString LAST_MODIFIED = AsciiString.cached("Last-Modified");
    public static final AsciiString RETRY_AFTER = AsciiString.cached("Retry-After");
    /** The firmware's md5 as lowercase hex: the digest most device SDKs verify. */
    public static final AsciiString X_FIRMWARE_MD5 = AsciiString.cached("X-Firmware-MD5");

    public static final AsciiString BYTES = AsciiString.cached("bytes");
    public static final AsciiString CLOSE = AsciiString.cached("close");
    public static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    public static final AsciiString OCTET_STREAM = AsciiString.cached("application/octet-stream");
    public static final AsciiString JSON_UTF8 = AsciiString.cached("application/json; charset=utf-8");
    public static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    public static final AsciiString GET_HEAD = AsciiString.cached("GET, HEAD");

    private WireHeaders() {
    }
}
