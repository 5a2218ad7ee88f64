package io.otaedge.edge.range;

/** An inclusive byte range {@code [first, last]} already resolved against a representation's size. */
public record ByteRange(long first, long last) {

    public ByteRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("bad range " + first + "-" + last);
        }
    }

    public long length() {
        return last - first + 1;
    }

    /** {@code bytes a-b/size}, the value of a {@code Content-Range} header. */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }
}
