package io.otaedge.edge.range;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The framing of a {@code multipart/byteranges} body (RFC 9110 §14.6): one small header block
 * before each part and a closing delimiter. The file bytes themselves are not here — they go out
 * as sendfile regions between these blocks — but their lengths are, so the exact
 * {@code Content-Length} is known before the first byte is written.
 */
public final class MultipartByteRanges {

    private final String boundary;
    private final List<ByteRange> parts;
    private final byte[][] partHeads;
    private final byte[] tail;
    private final long contentLength;

    public MultipartByteRanges(List<ByteRange> parts, long size) {
        this(parts, size, newBoundary());
    }

    MultipartByteRanges(List<ByteRange> parts, long size, String boundary) {
        this.boundary = boundary;
        this.parts = parts;
        this.partHeads = new byte[parts.size()][];
        long length = 0;
        for (int i = 0; i < parts.size(); i++) {
            ByteRange r = parts.get(i);
            // The CRLF that ends the previous part's data belongs to this delimiter (RFC 2046 §5.1.1).
            String head = (i == 0 ? "" : "\r\n") + "--" + boundary + "\r\n"
                    + "Content-Type: application/octet-stream\r\n"
                    + "Content-Range: " + r.contentRange(size) + "\r\n\r\n";
            partHeads[i] = head.getBytes(StandardCharsets.US_ASCII);
            length += partHeads[i].length + r.length();
        }
        this.tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        this.contentLength = length + tail.length;
    }

    private static String newBoundary() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "ota" + Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
    }

    public String contentType() {
        return "multipart/byteranges; boundary=" + boundary;
    }

    public List<ByteRange> parts() {
        return parts;
    }

    public byte[] partHead(int i) {
        return partHeads[i];
    }

    public byte[] tail() {
        return tail;
    }

    public long contentLength() {
        return contentLength;
    }
}
