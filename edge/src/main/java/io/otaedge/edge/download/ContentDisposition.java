package io.otaedge.edge.download;

import java.nio.charset.StandardCharsets;

/**
 * {@code Content-Disposition: attachment; filename="…"} built safely from an operator-supplied
 * file name (RFC 6266): quotes and backslashes are escaped, control characters and anything
 * outside printable ASCII are replaced in the plain {@code filename}, and a non-ASCII name is
 * also given exactly as {@code filename*=UTF-8''…} (RFC 8187) for clients that read it.
 *
 * <p>The value is at most {@link #MAX_VALUE} characters: device SDKs read the response head into small
 * fixed buffers (Aliyun's Living SDK finds the blank line only inside one 512-byte read; its Link SDK fails a
 * download on any header line over 126 characters), and the file name is the one part of a download head
 * an operator can make long. A longer name keeps its extension and loses the end of its stem; the
 * {@code filename*} form is left out when it does not fit.
 */
public final class ContentDisposition {

    /** The longest value written; the whole line stays under 126 characters and the head under 508 bytes. */
    public static final int MAX_VALUE = 80;
    private static final String PREFIX = "attachment; filename=\"";
    private static final int MAX_EXTENSION = 10;
    private static final String DEFAULT_NAME = "firmware.bin";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ContentDisposition() {
    }

    public static String attachment(String fileName) {
        String name = baseName(fileName);
        String plain = quoted(name);
        boolean ascii = name.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        if (PREFIX.length() + plain.length() + 1 > MAX_VALUE) {
            plain = quoted(shortened(name, MAX_VALUE - PREFIX.length() - 1));
        }
        String value = PREFIX + plain + '"';
        if (!ascii) {
            String extended = value + "; filename*=UTF-8''" + percentEncoded(name);
            if (extended.length() <= MAX_VALUE) {
                value = extended;
            }
        }
        return value;
    }

    /** The quoted-string body: quotes and backslashes escaped, anything outside printable ASCII as {@code _}. */
    private static String quoted(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f) {
                sb.append('_');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The name cut to at most {@code max} quoted characters, its extension kept ({@code very-lo….bin}). */
    private static String shortened(String name, int max) {
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 && name.length() - dot <= MAX_EXTENSION ? name.substring(dot) : "";
        String stem = name.substring(0, name.length() - ext.length());
        int room = max - quoted(ext).length();
        int end = 0;
        while (end < stem.length() && quoted(stem.substring(0, end + 1)).length() <= room) {
            end++;
        }
        return stem.substring(0, end) + ext;
    }

    private static String percentEncoded(String name) {
        StringBuilder sb = new StringBuilder(name.length() * 3);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int u = b & 0xff;
            if (isAttrChar(u)) {
                sb.append((char) u);
            } else {
                sb.append('%').append(HEX[u >> 4]).append(HEX[u & 0xf]);
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
