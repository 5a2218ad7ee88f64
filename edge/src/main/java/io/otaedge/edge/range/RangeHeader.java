package io.otaedge.edge.range;

import java.util.List;

/** A download's {@code Range} field, in either form devices send it. */
public final class RangeHeader {

    private RangeHeader() {
    }

    /**
     * RFC 9110 for {@code bytes=…}; the bare {@code a-b} form comes from OneNET devices that were
     * handed this URL, so it gets OneNET's lenient rules (never a 416 for them).
     */
    public static RangeRequest parse(String range, long size) {
        if (range.indexOf('=') >= 0) {
            return RangeParser.parse(range, size);
        }
        ByteRange r = OneNetRange.parse(range, size);
        return r == null ? RangeRequest.NONE : RangeRequest.of(List.of(r));
    }
}
