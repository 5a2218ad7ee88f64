package io.otaedge.cli.http;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** MD5, SHA-1 and SHA-256 of the bytes as they were sent, to check against what the server computed. */
public final class Digests {

    private final MessageDigest md5 = digest("MD5");
    private final MessageDigest sha1 = digest("SHA-1");
    private final MessageDigest sha256 = digest("SHA-256");

    void update(ByteBuffer bytes) {
        md5.update(bytes.duplicate());
        sha1.update(bytes.duplicate());
        sha256.update(bytes.duplicate());
    }

    /** Finishes the digests: md5, sha1, sha256 as lowercase hex. */
    public Hex finish() {
        HexFormat hex = HexFormat.of();
        return new Hex(hex.formatHex(md5.digest()), hex.formatHex(sha1.digest()), hex.formatHex(sha256.digest()));
    }

    public record Hex(String md5, String sha1, String sha256) {
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " is part of every JDK", e);
        }
    }
}
