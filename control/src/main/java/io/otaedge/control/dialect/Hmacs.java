package io.otaedge.control.dialect;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC helpers the dialects derive per-device and per-product secrets with. */
public final class Hmacs {

    private Hmacs() {
    }

    /** Hex HMAC of {@code message} under {@code key}, with {@code algorithm} (HmacSHA256, HmacSHA1). */
    public static String hex(String algorithm, byte[] key, String message) {
        return HexFormat.of().formatHex(raw(algorithm, key, message));
    }

    public static byte[] raw(String algorithm, byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    /**
     * A per-product credential a dialect's devices or apps send, derived from the product's access key so
     * nothing more is stored: {@code hex(HMAC-<algorithm>(base64decode(accessKey), label))}.
     */
    public static String productCredential(String algorithm, String accessKeyBase64, String label) {
        return hex(algorithm, productKey(accessKeyBase64), label);
    }

    /** A product's access key (base64) as raw key bytes. */
    public static byte[] productKey(String accessKeyBase64) {
        return Base64.getDecoder().decode(accessKeyBase64);
    }

    /** Constant-time comparison of two hex strings, case-insensitive. */
    public static boolean hexEquals(String expected, String given) {
        if (given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII),
                given.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }
}
