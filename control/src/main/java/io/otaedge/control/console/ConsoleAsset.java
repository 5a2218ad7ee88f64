package io.otaedge.control.console;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One file of the web console, held in memory: its bytes, its content type and a strong ETag (a digest of the bytes,
 * so a browser revalidates cheaply and a new build is never served stale).
 */
record ConsoleAsset(byte[] bytes, String contentType, String etag) {

    static ConsoleAsset of(byte[] bytes, String contentType) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new ConsoleAsset(bytes, contentType, "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Whether an {@code If-None-Match} header names this version (RFC 9110 13.1.2: weak comparison). */
    boolean matches(String ifNoneMatch) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}
