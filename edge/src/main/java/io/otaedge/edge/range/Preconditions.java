package io.otaedge.edge.range;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * Conditional requests on a firmware (RFC 9110 §13), evaluated in the order of §13.2.2 for GET
 * and HEAD: If-Match, If-Unmodified-Since (412), If-None-Match, If-Modified-Since (304); and
 * If-Range (§13.1.5), which decides whether a Range is honoured at all.
 */
public final class Preconditions {

    public enum Outcome { PROCEED, NOT_MODIFIED, PRECONDITION_FAILED }

    private Preconditions() {
    }

    public static Outcome evaluate(HttpHeaders req, Validators rep) {
        List<String> ifMatch = req.getAll(HttpHeaderNames.IF_MATCH);
        if (!ifMatch.isEmpty()) {
            if (!anyTagMatches(ifMatch, rep.etag(), true)) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else {
            long ius = singleDate(req.getAll(HttpHeaderNames.IF_UNMODIFIED_SINCE));
            if (ius >= 0 && rep.lastModifiedMillis() > ius) {
                return Outcome.PRECONDITION_FAILED;
            }
        }
        List<String> ifNoneMatch = req.getAll(HttpHeaderNames.IF_NONE_MATCH);
        if (!ifNoneMatch.isEmpty()) {
            return anyTagMatches(ifNoneMatch, rep.etag(), false) ? Outcome.NOT_MODIFIED : Outcome.PROCEED;
        }
        long ims = singleDate(req.getAll(HttpHeaderNames.IF_MODIFIED_SINCE));
        if (ims >= 0 && rep.lastModifiedMillis() <= ims) {
            return Outcome.NOT_MODIFIED;
        }
        return Outcome.PROCEED;
    }

    /**
     * Whether a Range may be honoured given the If-Range fields (RFC 9110 §13.1.5): none, or one
     * validator that holds. A strong entity tag must equal the current one (a weak tag never
     * matches); an HTTP-date must equal Last-Modified exactly. Anything else is neither a strong
     * tag nor a date (several fields, an unclosed quote, a 500-character value), so the condition
     * is false and the whole firmware is sent: never an error, never an exception.
     */
    public static boolean rangeAllowed(List<String> ifRange, Validators rep) {
        if (ifRange.isEmpty()) {
            return true;
        }
        if (ifRange.size() != 1) {
            return false;
        }
        String v = ifRange.get(0).strip();
        if (v.startsWith("W/")) {
            return false;
        }
        if (v.startsWith("\"")) {
            return v.equals(rep.etag());
        }
        long date = HttpDates.parse(v);
        return date >= 0 && date == rep.lastModifiedMillis();
    }

    /** An HTTP date from a field that must have exactly one member; -1 when absent or invalid. */
    private static long singleDate(List<String> values) {
        return values.size() == 1 ? HttpDates.parse(values.get(0).strip()) : -1;
    }

    /**
     * True when {@code *} or any entity tag in the list matches {@code etag} (itself quoted and
     * strong). Strong comparison rejects weak tags; weak comparison ignores the {@code W/}.
     */
    public static boolean anyTagMatches(List<String> values, String etag, boolean strong) {
        for (String v : values) {
            int i = 0;
            int n = v.length();
            while (i < n) {
                char c = v.charAt(i);
                if (c == ' ' || c == '\t' || c == ',') {
                    i++;
                    continue;
                }
                if (c == '*') {
                    return true;
                }
                boolean weak = false;
                if (c == 'W' && i + 1 < n && v.charAt(i + 1) == '/') {
                    weak = true;
                    i += 2;
                }
                if (i >= n || v.charAt(i) != '"') {
                    return false; // not an entity-tag list: nothing matches
                }
                int close = v.indexOf('"', i + 1);
                if (close < 0) {
                    return false;
                }
                if (!(strong && weak) && v.regionMatches(i, etag, 0, etag.length()) && close + 1 - i == etag.length()) {
                    return true;
                }
                i = close + 1;
            }
        }
        return false;
    }
}
