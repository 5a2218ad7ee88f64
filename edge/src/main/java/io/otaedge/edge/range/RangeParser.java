package io.otaedge.edge.range;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses a {@code Range} request header against a representation of known size, following
 * RFC 9110 §14.1–14.2:
 *
 * <ul>
 *   <li>{@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}; the unit is case-insensitive and a
 *       range set is a comma list (empty list elements are allowed, as the {@code #} rule says).</li>
 *   <li>The bare {@code a-b} form without a unit that OneNET devices send is read as {@code bytes}
 *       (PROTOCOLS.md, rule 1).</li>
 *   <li>Whitespace (SP, HTAB) is tolerated around every token, as nginx does: devices are sloppy
 *       and a full 200 is a poor answer to a resume.</li>
 *   <li>Syntactically invalid — unknown unit, garbage, {@code first > last}, a number that
 *       overflows a {@code long}, more than {@link #MAX_SPECS} members — yields
 *       {@link RangeRequest#NONE}: the header is ignored and the whole file is served.</li>
 *   <li>{@code last ≥ size} is clamped to {@code size - 1}; {@code first ≥ size} and {@code -0} are
 *       unsatisfiable members and are dropped; if none is left the set is
 *       {@link RangeRequest#UNSATISFIABLE}. A zero-length representation satisfies no range.</li>
 * </ul>
 *
 * Pure and allocation-light: no regex, no substring; the common single range allocates one
 * {@link ByteRange} and an immutable one-element list.
 */
public final class RangeParser {

    /** More members than this in one header is treated as abuse and the header is ignored. */
    public static final int MAX_SPECS = 64;

    private static final String UNIT = "bytes";

    private RangeParser() {
    }

    public static RangeRequest parse(CharSequence header, long size) {
        if (header == null) {
            return RangeRequest.NONE;
        }
        int n = header.length();
        int i = skipOws(header, 0, n);
        int eq = indexOf(header, '=', i, n);
        if (eq >= 0) {
            int unitEnd = trimEnd(header, i, eq);
            if (!regionEqualsIgnoreCase(header, i, unitEnd, UNIT)) {
                return RangeRequest.NONE;
            }
            i = eq + 1;
        }
        ByteRange single = null;
        List<ByteRange> many = null;
        int specs = 0;
        while (true) {
            i = skipOws(header, i, n);
            if (i >= n) {
                break;
            }
            char c = header.charAt(i);
            if (c == ',') {
                i++;
                continue;
            }
            if (++specs > MAX_SPECS) {
                return RangeRequest.NONE;
            }
            ByteRange r;
            if (c == '-') {
                i = skipOws(header, i + 1, n);
                int start = i;
                long suffix = 0;
                while (i < n && isDigit(header.charAt(i))) {
                    suffix = accumulate(suffix, header.charAt(i++));
                    if (suffix < 0) {
                        return RangeRequest.NONE;
                    }
                }
                if (i == start) {
                    return RangeRequest.NONE;
                }
                r = suffix == 0 || size == 0 ? null : new ByteRange(Math.max(0, size - suffix), size - 1);
            } else if (isDigit(c)) {
                long first = 0;
                while (i < n && isDigit(header.charAt(i))) {
                    first = accumulate(first, header.charAt(i++));
                    if (first < 0) {
                        return RangeRequest.NONE;
                    }
                }
                i = skipOws(header, i, n);
                if (i >= n || header.charAt(i) != '-') {
                    return RangeRequest.NONE;
                }
                i = skipOws(header, i + 1, n);
                long last = Long.MAX_VALUE;
                if (i < n && isDigit(header.charAt(i))) {
                    last = 0;
                    while (i < n && isDigit(header.charAt(i))) {
                        last = accumulate(last, header.charAt(i++));
                        if (last < 0) {
                            return RangeRequest.NONE;
                        }
                    }
                    if (last < first) {
                        return RangeRequest.NONE;
                    }
                }
                r = first >= size ? null : new ByteRange(first, Math.min(last, size - 1));
            } else {
                return RangeRequest.NONE;
            }
            i = skipOws(header, i, n);
            if (i < n && header.charAt(i) != ',') {
                return RangeRequest.NONE;
            }
            if (r != null) {
                if (single == null) {
                    single = r;
                } else {
                    if (many == null) {
                        many = new ArrayList<>(4);
                        many.add(single);
                    }
                    many.add(r);
                }
            }
        }
        if (specs == 0) {
            return RangeRequest.NONE;
        }
        if (single == null) {
            return RangeRequest.UNSATISFIABLE;
        }
        return new RangeRequest.Satisfiable(many == null ? List.of(single) : List.copyOf(many));
    }

    /** value * 10 + digit, or -1 on overflow. */
    private static long accumulate(long value, char digit) {
        int d = digit - '0';
        if (value > (Long.MAX_VALUE - d) / 10) {
            return -1;
        }
        return value * 10 + d;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static int skipOws(CharSequence s, int i, int n) {
        while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static int trimEnd(CharSequence s, int from, int to) {
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return to;
    }

    private static int indexOf(CharSequence s, char c, int from, int n) {
        for (int i = from; i < n; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean regionEqualsIgnoreCase(CharSequence s, int from, int to, String expected) {
        if (to - from != expected.length()) {
            return false;
        }
        for (int i = 0; i < expected.length(); i++) {
            if (Character.toLowerCase(s.charAt(from + i)) != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
