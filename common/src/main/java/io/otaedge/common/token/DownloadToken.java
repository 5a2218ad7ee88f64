package io.otaedge.common.token;

import java.security.SecureRandom;

/**
 * Download token format: {@code ota_} followed by 20 base62 characters from a CSPRNG
 * (20 × log2(62) ≈ 119 bits), 24 characters in all: the shape of OneNET's own tokens, which OneNET's
 * AT-command firmware stores in a 24-byte field of its flash parameters (a longer token overwrites the
 * product id stored after it, and its resume after a power loss refuses any other length). 119 random
 * bits behind a TTL of days cannot be guessed by asking an edge. The edge checks the shape before it
 * spends a Redis round trip, and accepts longer tokens (earlier versions issued 22 characters).
 */
public final class DownloadToken {

    public static final String PREFIX = "ota_";
    public static final int RANDOM_CHARS = 20;
    /** The shortest accepted: what is issued (and what OneNET itself issues, the seed's example). */
    public static final int MIN_RANDOM_CHARS = 20;
    /** Accept longer tokens too, so the length can grow without breaking old edges. */
    public static final int MAX_RANDOM_CHARS = 64;

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private DownloadToken() {
    }

    public static String generate() {
        char[] out = new char[PREFIX.length() + RANDOM_CHARS];
        PREFIX.getChars(0, PREFIX.length(), out, 0);
        byte[] buf = new byte[RANDOM_CHARS * 2];
        int filled = PREFIX.length();
        while (filled < out.length) {
            RANDOM.nextBytes(buf);
            for (int i = 0; i < buf.length && filled < out.length; i++) {
                int b = buf[i] & 0xff;
                // Rejection sampling keeps every character equally likely: 248 = 4 × 62.
                if (b < 248) {
                    out[filled++] = ALPHABET[b % 62];
                }
            }
        }
        return new String(out);
    }

    /** True when {@code s} has the token shape; says nothing about whether it exists. */
    public static boolean isWellFormed(CharSequence s) {
        int n = s.length();
        int p = PREFIX.length();
        if (n < p + MIN_RANDOM_CHARS || n > p + MAX_RANDOM_CHARS) {
            return false;
        }
        for (int i = 0; i < p; i++) {
            if (s.charAt(i) != PREFIX.charAt(i)) {
                return false;
            }
        }
        for (int i = p; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
