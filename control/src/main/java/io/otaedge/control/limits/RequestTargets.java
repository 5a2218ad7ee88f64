package io.otaedge.control.limits;

/** Pure checks of a request-target's text (RFC 3986), with no decoding and no allocation beyond the answers. */
final class RequestTargets {

    private RequestTargets() {
    }

    /** What is wrong with the target's characters, or null: each %-escape has two hex digits, every character is RFC 3986's. */
    static String problem(String target) {
        if (!target.startsWith("/") && !isAbsoluteForm(target)) {
            return "no path (a request-target starts with '/')";
        }
        int pathStart = isAbsoluteForm(target) ? authorityEnd(target) : 0;
        boolean inPath = true;
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '?' || c == '#') {
                inPath = false;
            }
            if (inPath && i >= pathStart && (c == '[' || c == ']')) {
                // A gen-delim RFC 3986 allows only around an IPv6 host, never in a path (pchar); java.net.URI,
                // which the routing parses the path with, throws on it.
                return "a character RFC 3986 does not allow in a path ('" + c + "') at position " + i + "; percent-encode it";
            }
            if (c == '%') {
                if (i + 2 >= target.length() || hex(target.charAt(i + 1)) < 0 || hex(target.charAt(i + 2)) < 0) {
                    return "a malformed %-escape at position " + i;
                }
                i += 2;
            } else if (!allowed(c)) {
                return "a character RFC 3986 does not allow (" + (c < 0x21 || c > 0x7e ? String.format("U+%04X", (int) c)
                        : "'" + c + "'") + ") at position " + i + "; percent-encode it";
            }
        }
        return null;
    }

    /** RFC 3986's unreserved, gen-delims and sub-delims characters. */
    static boolean allowed(char c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            return true;
        }
        return "-._~:/?#[]@!$&'()*+,;=".indexOf(c) >= 0;
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    /** How many parameters the query holds, counted as the decoder splits it ({@code &} and {@code ;}). */
    static int queryParameters(String target) {
        int q = target.indexOf('?');
        if (q < 0) {
            return 0;
        }
        int count = 0;
        boolean empty = true;
        for (int i = q + 1; i < target.length() && target.charAt(i) != '#'; i++) {
            char c = target.charAt(i);
            if (c == '&' || c == ';') {
                if (!empty) {
                    count++;
                }
                empty = true;
            } else {
                empty = false;
            }
        }
        return empty ? count : count + 1;
    }

    /** The raw path of an origin- or absolute-form target, without its query. */
    static String path(String target) {
        int start = 0;
        if (!target.startsWith("/")) {
            int scheme = target.indexOf("://");
            if (scheme < 0) {
                return target;
            }
            start = target.indexOf('/', scheme + 3);
            if (start < 0) {
                return "/";
            }
        }
        int end = target.length();
        for (int i = start; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        return target.substring(start, end);
    }

    /**
     * The target with every {@code ?} after the first (a legal query character, RFC 3986) written as {@code %3F}, and
     * every {@code [} or {@code ]} in the query (which lenient clients send, {@code a[]=1}) as {@code %5B}/{@code %5D};
     * each decodes to the same query. Null when there is nothing to escape. Reactor Netty's routing takes a second
     * {@code ?} for the path's end and routes {@code /api/v1/ota/device/?product_id=?x} nowhere (404), and its URI
     * parsing throws on a bracket (a 500).
     */
    static String queryEscaped(String target) {
        int query = target.indexOf('?');
        if (query < 0 || !needsEscape(target, query + 1)) {
            return null;
        }
        StringBuilder sb = new StringBuilder(target.length() + 8).append(target, 0, query + 1);
        for (int i = query + 1; i < target.length(); i++) {
            char c = target.charAt(i);
            switch (c) {
                case '?' -> sb.append("%3F");
                case '[' -> sb.append("%5B");
                case ']' -> sb.append("%5D");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean needsEscape(String target, int from) {
        for (int i = from; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '?' || c == '[' || c == ']') {
                return true;
            }
        }
        return false;
    }

    /** Where the authority of an absolute-form target ends (its path, query or end begins). */
    private static int authorityEnd(String target) {
        int end = target.indexOf("//") + 2;
        while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
            end++;
        }
        return end;
    }

    /** {@code http://host[:port]/path?query}: the absolute-form a server must accept (RFC 9112 §3.2.2). */
    static boolean isAbsoluteForm(String target) {
        return target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8);
    }

    /** An absolute-form target as the origin-form the routes read ({@code /path?query}, {@code /} without a path); null otherwise. */
    static String originForm(String target) {
        if (!isAbsoluteForm(target)) {
            return null;
        }
        String rest = target.substring(authorityEnd(target));
        return rest.startsWith("/") ? rest : "/" + rest;
    }
}
