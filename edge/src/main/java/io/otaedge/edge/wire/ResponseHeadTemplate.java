package io.otaedge.edge.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.otaedge.edge.exchange.Disposition;
import java.nio.charset.StandardCharsets;
import io.otaedge.edge.range.ByteRange;

/**
 * The heads of the two answers that carry a firmware's bytes, 200 with the whole file and 206
 * with one range, encoded from bytes prepared once per representation: per response only the
 * status line, {@code Date}, {@code Connection}, {@code Content-Length} and {@code Content-Range}
 * are written, the fixed fields are one copy. Encoding the head through Netty's
 * {@code HttpResponseEncoder} was the largest single share of a small range's CPU. The bytes are
 * exactly what that encoder writes for the same response built from {@link Responses#head} (same
 * names in canonical case, values and order; {@code ResponseHeadTemplateTest} compares them).
 *
 * <p>A 206 ends with its {@code Content-Range} line and carries no {@code Accept-Ranges} (the 206
 * itself says ranges work): OneNET's AT-command firmware finds the body by searching the first
 * {@code Range} in the answer and skipping to the blank line after it, so no line before the last
 * may contain that text. {@code Content-Length} stays early, where case-sensitive SDKs that look
 * only at the first bytes of a head find it.
 */
public final class ResponseHeadTemplate {

    private static final String CRLF = "\r\n";
    // The constant runs between the values written per response, each one copy.
    private static final byte[] OK_TO_DATE = statusToDate(HttpResponseStatus.OK);
    private static final byte[] PARTIAL_TO_DATE = statusToDate(HttpResponseStatus.PARTIAL_CONTENT);
    /** From the end of the Date value to the Content-Length value, by {@link Disposition#ordinal()}. */
    private static final byte[][] DATE_TO_LENGTH = new byte[Disposition.values().length][];
    private static final byte[] HEAD_END = ascii(CRLF + CRLF);
    private static final int LONG_DIGITS = 19;
    private static final int DATE_MAX = 32;
    /** The most the per-response part can take: the buffer is allocated once at its final size. */
    private static final int VARIABLE_MAX;

    static {
        int longest = 0;
        for (Disposition d : Disposition.values()) {
            DATE_TO_LENGTH[d.ordinal()] = ascii(CRLF + connectionField(d) + WireHeaders.CONTENT_TYPE + ": "
                    + WireHeaders.OCTET_STREAM + CRLF + WireHeaders.CONTENT_LENGTH + ": ");
            longest = Math.max(longest, DATE_TO_LENGTH[d.ordinal()].length);
        }
        VARIABLE_MAX = PARTIAL_TO_DATE.length + DATE_MAX + longest + LONG_DIGITS + 3 * LONG_DIGITS + 2
                + HEAD_END.length;
    }

    /** A 200's end: the end of the length line, the representation's fields and the blank line that ends the head. */
    private final byte[] okTail;
    /** A 206's middle: the end of the length line, the fields but Accept-Ranges, and the start of Content-Range. */
    private final byte[] partialToRange;

    /**
     * {@code names[i]: values[i]} in this order follow the length field; in a 206 all but
     * {@code Accept-Ranges}, then the range field.
     */
    public ResponseHeadTemplate(AsciiString[] names, CharSequence[] values) {
        StringBuilder ok = new StringBuilder(256).append(CRLF);
        StringBuilder partial = new StringBuilder(256).append(CRLF);
        for (int i = 0; i < names.length; i++) {
            String line = names[i] + ": " + values[i] + CRLF;
            ok.append(line);
            if (!WireHeaders.ACCEPT_RANGES.contentEquals(names[i])) {
                partial.append(line);
            }
        }
        this.okTail = ascii(ok.append(CRLF).toString());
        this.partialToRange = ascii(partial.append(WireHeaders.CONTENT_RANGE).append(": ").append(WireHeaders.BYTES)
                .append(' ').toString());
    }

    /**
     * The head of a 200 carrying all {@code length} bytes (also what a HEAD request is answered
     * with), in a new buffer with room for {@code reserve} more bytes (a body to follow in it).
     */
    public ByteBuf ok(ByteBufAllocator alloc, AsciiString date, Disposition connection, long length, int reserve) {
        ByteBuf buf = alloc.buffer(VARIABLE_MAX + okTail.length + reserve);
        start(buf, OK_TO_DATE, date, connection, length);
        buf.writeBytes(okTail);
        return buf;
    }

    /**
     * The head of a 206 carrying {@code range} of a representation of {@code size} bytes, in a new
     * buffer with room for {@code reserve} more bytes.
     */
    public ByteBuf partial(ByteBufAllocator alloc, AsciiString date, Disposition connection, ByteRange range,
                           long size, int reserve) {
        ByteBuf buf = alloc.buffer(VARIABLE_MAX + partialToRange.length + reserve);
        start(buf, PARTIAL_TO_DATE, date, connection, range.length());
        buf.writeBytes(partialToRange);
        writeDecimal(buf, range.first());
        buf.writeByte('-');
        writeDecimal(buf, range.last());
        buf.writeByte('/');
        writeDecimal(buf, size);
        buf.writeBytes(HEAD_END);
        return buf;
    }

    /**
     * Status line, Date, Connection (as {@link Responses#head} sets them), Content-Type and the
     * Content-Length value, its line left open.
     */
    private static void start(ByteBuf buf, byte[] statusToDate, AsciiString date, Disposition connection, long length) {
        buf.writeBytes(statusToDate);
        ByteBufUtil.copy(date, buf);
        buf.writeBytes(DATE_TO_LENGTH[connection.ordinal()]);
        writeDecimal(buf, length);
    }

    private static String connectionField(Disposition connection) {
        return switch (connection) {
            case CLOSE -> WireHeaders.CONNECTION + ": " + WireHeaders.CLOSE + CRLF;
            case KEEP_ALIVE_1_0 -> WireHeaders.CONNECTION + ": " + WireHeaders.KEEP_ALIVE + CRLF;
            // HTTP/1.1 persists by default: no header
            case KEEP_ALIVE -> "";
        };
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

    private static byte[] statusToDate(HttpResponseStatus status) {
        return ascii(HttpVersion.HTTP_1_1.text() + " " + status.codeAsText() + " " + status.reasonPhrase() + CRLF
                + WireHeaders.DATE + ": ");
    }

    /** As Netty's encoder writes header text: US-ASCII (values the edge writes are ASCII by construction). */
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
