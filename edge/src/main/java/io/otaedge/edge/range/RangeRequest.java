package io.otaedge.edge.range;

import java.util.List;

/**
 * What a {@code Range} header asks for once parsed against the representation's size
 * (RFC 9110 §14.2): nothing (absent or invalid — serve the whole file), an unsatisfiable set
 * (416), or one or more satisfiable ranges in request order.
 */
public sealed interface RangeRequest {

    /** No usable Range header: absent, another unit, or syntactically invalid. Serve a full 200. */
    RangeRequest NONE = new None();
    /** A valid range set none of whose ranges overlaps the representation. Answer 416. */
    RangeRequest UNSATISFIABLE = new Unsatisfiable();

    static RangeRequest of(List<ByteRange> ranges) {
        return new Satisfiable(List.copyOf(ranges));
    }

    record None() implements RangeRequest {
    }

    record Unsatisfiable() implements RangeRequest {
    }

    /** The satisfiable ranges, clamped to the size; unsatisfiable members of the set are dropped. */
    record Satisfiable(List<ByteRange> ranges) implements RangeRequest {
        public Satisfiable {
            if (ranges.isEmpty()) {
                throw new IllegalArgumentException("no ranges");
            }
        }
    }
}
