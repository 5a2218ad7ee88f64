package io.otaedge.edge.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.otaedge.edge.http.Responses.Disposition;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The heads of the two answers that carry a firmware's bytes, 200 with the whole file and 206
 * with one range, encoded from bytes prepared once per representation: per response only the
 * status line, {@code Date}, {@code Connection}, {@code Content-Length} and {@code Content-Range}
 * are written, the fixed fields are one copy. Encoding the head through Netty's
 * {@code HttpResponseEncoder} was the largest single share of a small range's CPU. The bytes are
 * exactly what that encoder writes for the same response built from {@link Responses#head} (same
 * names in canonical case, values and order; {@code ResponseHeadTemplateTest} compares them).
 */
public final class ResponseHeadTemplate {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] STATUS_200 = statusLine(HttpResponseStatus.OK);
    private static final byte[] STATUS_206 = statusLine(HttpResponseStatus.PARTIAL_CONTENT);
    private static final byte[] DATE = name(WireHeaders.DATE);
    private static final byte[] CONNECTION_CLOSE = field(WireHeaders.CONNECTION, WireHeaders.CLOSE);
    private static final byte[] CONNECTION_KEEP_ALIVE = field(WireHeaders.CONNECTION, WireHeaders.KEEP_ALIVE);
    private static final byte[] CONTENT_TYPE = field(WireHeaders.CONTENT_TYPE, WireHeaders.OCTET_STREAM);
    private static final byte[] CONTENT_LENGTH = name(WireHeaders.CONTENT_LENGTH);
    private static final byte[] CONTENT_RANGE = ascii(WireHeaders.CONTENT_RANGE + ": " + WireHeaders.BYTES + " ");
    private static final int LONG_DIGITS = 19;
    /** The most the per-response part can take: the buffer is allocated once at its final size. */
    private static final int VARIABLE_MAX = STATUS_206.length + DATE.length + 32 + CRLF.length
            + CONNECTION_KEEP_ALIVE.length + CONTENT_TYPE.length + CONTENT_LENGTH.length + LONG_DIGITS + CRLF.length
            + CONTENT_RANGE.length + 3 * LONG_DIGITS + 2 + CRLF.length;

    /** The representation's fields and the blank line that ends the head. */
    private final byte[] tail;

    /** {@code names[i]: values[i]} in this order follow the length (and range) fields. */
    ResponseHeadTemplate(AsciiString[] names, CharSequence[] values) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(256);
        for (int i = 0; i < names.length; i++) {
            b.writeBytes(field(names[i], values[i]));
        }
        b.writeBytes(CRLF);
        this.tail = b.toByteArray();
    }

    /**
     * The head of a 200 carrying all {@code length} bytes (also what a HEAD request is answered
     * with), in a new buffer with room for {@code reserve} more bytes (a body to follow in it).
     */
    public ByteBuf ok(ByteBufAllocator alloc, AsciiString date, Disposition connection, long length, int reserve) {
        ByteBuf buf = alloc.buffer(VARIABLE_MAX + tail.length + reserve);
        start(buf, STATUS_200, date, connection, length);
        buf.writeBytes(tail);
        return buf;
    }

    /**
     * The head of a 206 carrying {@code range} of a representation of {@code size} bytes, in a new
     * buffer with room for {@code reserve} more bytes.
     */
    public ByteBuf partial(ByteBufAllocator alloc, AsciiString date, Disposition connection, ByteRange range,
                           long size, int reserve) {
        ByteBuf buf = alloc.buffer(VARIABLE_MAX + tail.length + reserve);
        start(buf, STATUS_206, date, connection, range.length());
        buf.writeBytes(CONTENT_RANGE);
        writeDecimal(buf, range.first());
        buf.writeByte('-');
        writeDecimal(buf, range.last());
        buf.writeByte('/');
        writeDecimal(buf, size);
        buf.writeBytes(CRLF);
        buf.writeBytes(tail);
        return buf;
    }

    /** Status line, Date, Connection (as {@link Responses#head} sets them), Content-Type, Content-Length. */
    private static void start(ByteBuf buf, byte[] statusLine, AsciiString date, Disposition connection, long length) {
        buf.writeBytes(statusLine);
        buf.writeBytes(DATE);
        ByteBufUtil.copy(date, buf);
        buf.writeBytes(CRLF);
        switch (connection) {
            case CLOSE -> buf.writeBytes(CONNECTION_CLOSE);
            case KEEP_ALIVE_1_0 -> buf.writeBytes(CONNECTION_KEEP_ALIVE);
            case KEEP_ALIVE -> {
                // HTTP/1.1 persists by default: no header
            }
        }
        buf.writeBytes(CONTENT_TYPE);
        buf.writeBytes(CONTENT_LENGTH);
        writeDecimal(buf, length);
        buf.writeBytes(CRLF);
    }

    /** A non-negative number in ASCII digits, without going through a String. */
    static void writeDecimal(ByteBuf buf, long value) {
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        buf.ensureWritable(digits);
        int end = buf.writerIndex() + digits;
        long v = value;
        for (int i = end - 1; i >= end - digits; i--) {
            buf.setByte(i, '0' + (int) (v % 10));
            v /= 10;
        }
        buf.writerIndex(end);
    }

    private static byte[] statusLine(HttpResponseStatus status) {
        return ascii(HttpVersion.HTTP_1_1.text() + " " + status.codeAsText() + " " + status.reasonPhrase() + "\r\n");
    }

    private static byte[] name(AsciiString name) {
        return ascii(name + ": ");
    }

    private static byte[] field(AsciiString name, CharSequence value) {
        return ascii(name + ": " + value + "\r\n");
    }

    /** As Netty's encoder writes header text: US-ASCII (values the edge writes are ASCII by construction). */
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
