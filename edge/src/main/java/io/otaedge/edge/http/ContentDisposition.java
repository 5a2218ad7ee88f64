package io.otaedge.edge.http;

import java.nio.charset.StandardCharsets;

/**
 * {@code Content-Disposition: attachment; filename="…"} built safely from an operator-supplied
 * file name (RFC 6266): quotes and backslashes are escaped, control characters and anything
 * outside printable ASCII are replaced in the plain {@code filename}, and a non-ASCII name is
 * also given exactly as {@code filename*=UTF-8''…} (RFC 8187) for clients that read it.
 */
public final class ContentDisposition {

    private static final String DEFAULT_NAME = "firmware.bin";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ContentDisposition() {
    }

    public static String attachment(String fileName) {
        String name = baseName(fileName);
        StringBuilder sb = new StringBuilder(32 + name.length()).append("attachment; filename=\"");
        boolean ascii = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f) {
                ascii = false;
                sb.append('_');
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
        if (!ascii) {
            sb.append("; filename*=UTF-8''");
            for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
                int u = b & 0xff;
                if (isAttrChar(u)) {
                    sb.append((char) u);
                } else {
                    sb.append('%').append(HEX[u >> 4]).append(HEX[u & 0xf]);
                }
            }
        }
        return sb.toString();
    }

    /** Only the last path segment, never a path; a blank name becomes a neutral default. */
    private static String baseName(String fileName) {
        if (fileName == null) {
            return DEFAULT_NAME;
        }
        int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        String base = fileName.substring(slash + 1).strip();
        return base.isEmpty() || base.equals(".") || base.equals("..") ? DEFAULT_NAME : base;
    }

    // RFC 8187 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
    private static boolean isAttrChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$&+-.^_`|~".indexOf(c) >= 0;
    }
}
