package io.otaedge.loadtest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A device putting a firmware together from ranges, in order, the way an NB-IoT module writes
 * flash: each accepted byte feeds one running md5, and the last one decides whether the assembled
 * file matches the md5 the check call promised. One per virtual device; not thread-safe (a
 * Gatling virtual user runs one request at a time).
 */
public final class Assembly {

    public static final String PARTIAL = "partial";
    public static final String COMPLETE = "complete";

    private final long size;
    private final String expectedMd5;
    private final MessageDigest digest;
    private long received;

    public Assembly(long size, String expectedMd5) {
        this.size = size;
        this.expectedMd5 = expectedMd5;
        try {
            this.digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public long received() {
        return received;
    }

    public long size() {
        return size;
    }

    public boolean complete() {
        return received == size;
    }

    /**
     * Takes the answer to a range request that started at {@code from} and asked for
     * {@code length} bytes, keeping only the first {@code keep} (fewer when the link drops
     * mid-transfer). Returns {@link #PARTIAL}, {@link #COMPLETE} (all bytes in, md5 verified) or
     * what is wrong, as a Gatling check reports it.
     */
    public String accept(long from, long length, byte[] body, int keep) {
        if (from != received) {
            return "range from " + from + " but " + received + " bytes were received";
        }
        if (body.length != length) {
            return "asked for " + length + " bytes, got " + body.length;
        }
        int n = Math.min(keep, body.length);
        if (received + n > size) {
            return "more bytes than the firmware's " + size;
        }
        digest.update(body, 0, n);
        received += n;
        if (received < size) {
            return PARTIAL;
        }
        String md5 = HexFormat.of().formatHex(digest.digest());
        return md5.equals(expectedMd5) ? COMPLETE : "assembled md5 " + md5 + ", the check said " + expectedMd5;
    }
}
