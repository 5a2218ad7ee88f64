package io.otaedge.control.redis;

import java.security.SecureRandom;

/** Random record ids ({@code fw_…}, {@code task_…}): unguessable so ids leak nothing about volumes. */
public final class Ids {

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int LENGTH = 16;

    private Ids() {
    }

    public static String next(String prefix) {
        StringBuilder sb = new StringBuilder(prefix.length() + 1 + LENGTH).append(prefix).append('_');
        for (int i = 0; i < LENGTH; i++) {
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }
}
