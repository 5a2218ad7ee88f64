package io.otaedge.edge.range;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns the satisfiable ranges of a request into the parts actually served (RFC 9110 §14.2, §14.6):
 * sorted by position, overlapping and adjacent ranges merged, and ranges separated by a gap
 * smaller than the cost of a multipart part header merged too. This is also the abuse guard:
 * many small or overlapping ranges collapse into few parts, and a request that still needs more
 * than the configured maximum of parts is not honoured as ranges at all — the caller serves a
 * plain 200 (the RFC lets a server ignore Range), which costs the edge nothing extra.
 */
public final class RangeCoalescer {

    /** Gaps below this are cheaper to send than a part boundary and its headers. */
    static final long MERGE_GAP = 80;

    private RangeCoalescer() {
    }

    /** The parts to serve in ascending order, or an empty list when they exceed {@code maxParts}. */
    public static List<ByteRange> coalesce(List<ByteRange> ranges, int maxParts) {
        if (ranges.size() == 1) {
            return ranges;
        }
        List<ByteRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(ByteRange::first));
        List<ByteRange> out = new ArrayList<>(sorted.size());
        ByteRange cur = sorted.get(0);
        for (int i = 1; i < sorted.size(); i++) {
            ByteRange r = sorted.get(i);
            if (r.first() <= cur.last() + 1 + MERGE_GAP) {
                cur = new ByteRange(cur.first(), Math.max(cur.last(), r.last()));
            } else {
                out.add(cur);
                cur = r;
            }
        }
        out.add(cur);
        return out.size() > maxParts ? List.of() : out;
    }
}
