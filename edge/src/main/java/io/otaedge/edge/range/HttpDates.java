package io.otaedge.edge.range;

import io.netty.handler.codec.DateFormatter;
import io.netty.util.AsciiString;
import java.util.Date;

/**
 * HTTP dates (RFC 9110 §5.6.7). Formatting is IMF-fixdate; parsing accepts the three formats a
 * recipient must accept (through Netty's lenient {@link DateFormatter}). The current {@code Date}
 * header value is cached per second, since formatting a date per response is measurable at
 * tens of thousands of range requests a second.
 */
public final class HttpDates {

    private static volatile Cached current = new Cached(-1, AsciiString.EMPTY_STRING);

    private HttpDates() {
    }

    /** The {@code Date} header value for now. */
    public static AsciiString now() {
        long second = System.currentTimeMillis() / 1000;
        Cached c = current;
        if (c.second != second) {
            c = new Cached(second, new AsciiString(DateFormatter.format(new Date(second * 1000))));
            current = c;
        }
        return c.value;
    }

    /** IMF-fixdate of an instant given in epoch milliseconds (sub-second part dropped). */
    public static String format(long epochMillis) {
        return DateFormatter.format(new Date(epochMillis / 1000 * 1000));
    }

    /**
     * The longest value handed to Netty's parser, which throws above it rather than answer "not a
     * date". The longest valid HTTP-date (rfc850-date with a nine-letter day name) has 33 characters.
     */
    static final int MAX_DATE_LENGTH = 64;

    /** Epoch milliseconds of an HTTP date, or -1 when it is not one (never throws: the value is the client's). */
    public static long parse(CharSequence value) {
        if (value == null || value.length() > MAX_DATE_LENGTH) {
            return -1;
        }
        Date d = DateFormatter.parseHttpDate(value);
        return d == null ? -1 : d.getTime();
    }

    private record Cached(long second, AsciiString value) {
    }
}
