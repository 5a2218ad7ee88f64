package io.otaedge.edge.range;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RangeCoalescerTest {

    private static ByteRange r(long a, long b) {
        return new ByteRange(a, b);
    }

    @Test
    void disjointRangesAreSortedAndKept() {
        assertThat(RangeCoalescer.coalesce(List.of(r(5000, 5999), r(0, 99)), 16))
                .containsExactly(r(0, 99), r(5000, 5999));
    }

    @Test
    void overlappingRangesAreMerged() {
        assertThat(RangeCoalescer.coalesce(List.of(r(0, 500), r(200, 900), r(100, 150)), 16))
                .containsExactly(r(0, 900));
    }

    @Test
    void adjacentRangesAreMerged() {
        assertThat(RangeCoalescer.coalesce(List.of(r(0, 99), r(100, 199)), 16)).containsExactly(r(0, 199));
    }

    @Test
    void smallGapsAreCheaperToSendThanAPartHeader() {
        assertThat(RangeCoalescer.coalesce(List.of(r(0, 99), r(150, 199)), 16)).containsExactly(r(0, 199));
        assertThat(RangeCoalescer.coalesce(List.of(r(0, 99), r(100 + RangeCoalescer.MERGE_GAP + 1, 1000)), 16))
                .hasSize(2);
    }

    @Test
    void manyOverlappingRangesCollapseToOne() {
        List<ByteRange> abuse = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            abuse.add(r(0, 1_000_000));
        }
        assertThat(RangeCoalescer.coalesce(abuse, 16)).containsExactly(r(0, 1_000_000));
    }

    @Test
    void tooManyPartsAfterCoalescingAreRefused() {
        List<ByteRange> many = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            many.add(r(i * 1000L, i * 1000L + 1));
        }
        assertThat(RangeCoalescer.coalesce(many, 16)).isEmpty();
        assertThat(RangeCoalescer.coalesce(many.subList(0, 16), 16)).hasSize(16);
    }

    @Test
    void multipartLengthIsExact() {
        MultipartByteRanges m = new MultipartByteRanges(List.of(r(0, 9), r(100, 119)), 1000, "B");
        String expected = "--B\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-9/1000\r\n\r\n"
                + "x".repeat(10)
                + "\r\n--B\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 100-119/1000\r\n\r\n"
                + "x".repeat(20)
                + "\r\n--B--\r\n";
        assertThat(m.contentLength()).isEqualTo(expected.length());
        assertThat(m.contentType()).isEqualTo("multipart/byteranges; boundary=B");
    }
}
