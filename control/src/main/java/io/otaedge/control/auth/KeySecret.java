package io.otaedge.control.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * An API key as handed out once: {@code ota_k_<id>_<secret>}, id 12 and secret 43 base62 characters from a
 * CSPRNG (43 × log2(62) ≈ 256 bits). The id names the stored record, so a key is checked by one lookup, never
 * a scan; only the secret's SHA-256 is stored. A salted slow hash (bcrypt, argon2) defends low-entropy
 * passwords against offline guessing; a 256-bit random secret cannot be guessed from its SHA-256 anyway, and a
 * slow hash would cost tens of milliseconds of CPU on every admin request.
 */
public record KeySecret(String id, String secret) {

    public static final String PREFIX = "ota_k_";
    static final int ID_CHARS = 12;
    static final int SECRET_CHARS = 43;
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    public static KeySecret generate() {
        return new KeySecret(random(ID_CHARS), random(SECRET_CHARS));
    }

    /** The key as the client sends it. */
    public String presented() {
        return PREFIX + id + "_" + secret;
    }

    /** The id and secret of a key of this shape, or null (then the id is not worth a lookup). */
    public static KeySecret parse(String presented) {
        if (presented.length() != PREFIX.length() + ID_CHARS + 1 + SECRET_CHARS || !presented.startsWith(PREFIX)
                || presented.charAt(PREFIX.length() + ID_CHARS) != '_') {
            return null;
        }
        String id = presented.substring(PREFIX.length(), PREFIX.length() + ID_CHARS);
        String secret = presented.substring(PREFIX.length() + ID_CHARS + 1);
        return isBase62(id) && isBase62(secret) ? new KeySecret(id, secret) : null;
    }

    /** True for an id this class could have generated (checked before it goes into a Redis key). */
    public static boolean isId(String s) {
        return s != null && s.length() == ID_CHARS && isBase62(s);
    }

    /** The hex SHA-256 of the secret: what Redis keeps. */
    public String hash() {
        return hash(secret);
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Whether this secret's hash is {@code storedHash}, in constant time. */
    public boolean matches(String storedHash) {
        return storedHash != null && MessageDigest.isEqual(hash().getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "KeySecret[id=" + id + "]"; // never the secret
    }

    private static boolean isBase62(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }

    private static String random(int n) {
        StringBuilder out = new StringBuilder(n);
        byte[] buf = new byte[n * 2];
        while (out.length() < n) {
            RANDOM.nextBytes(buf);
            for (int i = 0; i < buf.length && out.length() < n; i++) {
                int b = buf[i] & 0xff;
                // Rejection sampling keeps every character equally likely: 248 = 4 × 62.
                if (b < 248) {
                    out.append(ALPHABET[b % 62]);
                }
            }
        }
        return out.toString();
    }
}
