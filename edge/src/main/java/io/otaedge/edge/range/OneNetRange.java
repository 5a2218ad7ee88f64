package io.otaedge.edge.range;

/**
 * OneNET's own Range rules for its download dialect (PROTOCOLS.md, "OneNET south API"), which are
 * deliberately lenient and differ from RFC 9110: the {@code bytes=} unit is optional, leading zeros
 * are fine ({@code 01-02} = {@code 1-2}), {@code start ≥ length} → start 0, {@code end ≥ length} →
 * {@code length-1}, {@code start > end} → start 0, {@code -n} with {@code n > length} → the whole
 * file, and anything missing or malformed (several ranges, {@code -0}, garbage) → the whole file
 * as a 200. A OneNET device therefore never sees a 416.
 */
public final class OneNetRange {

    private OneNetRange() {
    }

    /** The range to serve as a 206, or null for a full 200. */
    public static ByteRange parse(CharSequence header, long size) {
        if (header == null || size <= 0) {
            return null;
        }
        int n = header.length();
        int i = RangeParser.skipOws(header, 0, n);
        if (n - i >= 6 && header.subSequence(i, i + 6).toString().equalsIgnoreCase("bytes=")) {
            i = RangeParser.skipOws(header, i + 6, n);
        }
        long start = -1;
        int digits = i;
        long v = 0;
        while (i < n && RangeParser.isDigit(header.charAt(i))) {
            v = accumulate(v, header.charAt(i++));
            if (v < 0) {
                return null;
            }
        }
        if (i > digits) {
            start = v;
        }
        i = RangeParser.skipOws(header, i, n);
        if (i >= n || header.charAt(i) != '-') {
            return null;
        }
        i = RangeParser.skipOws(header, i + 1, n);
        long end = -1;
        digits = i;
        v = 0;
        while (i < n && RangeParser.isDigit(header.charAt(i))) {
            v = accumulate(v, header.charAt(i++));
            if (v < 0) {
                return null;
            }
        }
        if (i > digits) {
            end = v;
        }
        if (RangeParser.skipOws(header, i, n) != n) {
            return null;
        }
        if (start < 0) {
            // "-n": the last n bytes; no number or zero is not one of the documented forms
            if (end <= 0) {
                return null;
            }
            return new ByteRange(Math.max(0, size - end), size - 1);
        }
        if (end < 0) {
            return new ByteRange(start >= size ? 0 : start, size - 1);
        }
        if (end >= size) {
            end = size - 1;
        }
        if (start > end) {
            start = 0;
        }
        return new ByteRange(start, end);
    }

    private static long accumulate(long value, char digit) {
        int d = digit - '0';
        return value > (Long.MAX_VALUE - d) / 10 ? -1 : value * 10 + d;
    }
}
