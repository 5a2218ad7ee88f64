package io.otaedge.common.logging;

/**
 * What of a download token a log may show: its first {@value #SHOWN} characters and an ellipsis, enough to tell
 * tokens apart in a support case, never enough to use one ({@code ota_} + 20 base62: 2 of 20 characters shown).
 */
public final class Redaction {

    public static final int SHOWN = 6;
    public static final String TOKEN_PREFIX = "ota_";

    private Redaction() {
    }

    /** {@code token} cut to its first characters and {@code …}; a short value is cut too (it may be a token's start). */
    public static String token(String token) {
        if (token == null || token.isEmpty()) {
            return "";
        }
        return token.substring(0, Math.min(SHOWN, token.length())) + "…";
    }

    /** {@code path} with every segment that starts like a token cut as {@link #token}; the path itself when none does. */
    public static String path(String path) {
        int at = path.indexOf(TOKEN_PREFIX);
        if (at < 0) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.length());
        int from = 0;
        while (from <= path.length()) {
            int slash = path.indexOf('/', from);
            int end = slash < 0 ? path.length() : slash;
            String segment = path.substring(from, end);
            out.append(segment.startsWith(TOKEN_PREFIX) ? token(segment) : segment);
            if (slash < 0) {
                break;
            }
            out.append('/');
            from = slash + 1;
        }
        return out.toString();
    }
}
