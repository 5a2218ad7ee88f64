package io.otaedge.control.dialect.hawkbit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * DDI tokens: 32 base62 characters from a CSPRNG (190 bits), kept only as their SHA-256 and compared in
 * constant time, so a copy of the store opens no device.
 */
final class HawkbitTokens {

    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int LENGTH = 32;

    private HawkbitTokens() {
    }

    static String generate() {
        char[] c = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            c[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(c);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** Whether {@code presented} hashes to {@code storedHash}; false when either is missing. Constant time in the hash. */
    static boolean matches(String storedHash, String presented) {
        if (storedHash == null || presented == null || presented.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(storedHash.getBytes(StandardCharsets.US_ASCII),
                hash(presented).getBytes(StandardCharsets.US_ASCII));
    }
}
