package io.otaedge.edge.range;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9110 §14.1–14.2 over a 10 000-byte representation unless said otherwise. */
class RangeParserTest {

    private static final long SIZE = 10_000;

    private static RangeRequest parse(String header) {
        return RangeParser.parse(header, SIZE);
    }

    private static RangeRequest ranges(long... firstLast) {
        ByteRange[] r = new ByteRange[firstLast.length / 2];
        for (int i = 0; i < r.length; i++) {
            r[i] = new ByteRange(firstLast[2 * i], firstLast[2 * i + 1]);
        }
        return RangeRequest.of(List.of(r));
    }

    @Test
    void absentHeaderMeansNoRange() {
        assertThat(RangeParser.parse(null, SIZE)).isEqualTo(RangeRequest.NONE);
    }

    @Test
    void closedRangeIsInclusive() {
        assertThat(parse("bytes=0-499")).isEqualTo(ranges(0, 499));
        assertThat(parse("bytes=500-999")).isEqualTo(ranges(500, 999));
    }

    @Test
    void singleByteRanges() {
        assertThat(parse("bytes=0-0")).isEqualTo(ranges(0, 0));
        assertThat(parse("bytes=9999-9999")).isEqualTo(ranges(9999, 9999));
    }

    @Test
    void openRangeRunsToTheEnd() {
        assertThat(parse("bytes=9500-")).isEqualTo(ranges(9500, 9999));
        assertThat(parse("bytes=0-")).isEqualTo(ranges(0, 9999));
    }

    @Test
    void suffixRangeTakesTheLastBytes() {
        assertThat(parse("bytes=-500")).isEqualTo(ranges(9500, 9999));
        assertThat(parse("bytes=-1")).isEqualTo(ranges(9999, 9999));
    }

    @Test
    void suffixLongerThanTheRepresentationIsTheWholeOfIt() {
        assertThat(parse("bytes=-20000")).isEqualTo(ranges(0, 9999));
    }

    @Test
    void zeroSuffixIsUnsatisfiable() {
        assertThat(parse("bytes=-0")).isEqualTo(RangeRequest.UNSATISFIABLE);
    }

    @Test
    void lastPosAtOrPastTheEndIsClamped() {
        assertThat(parse("bytes=9000-10000")).isEqualTo(ranges(9000, 9999));
        assertThat(parse("bytes=0-99999999")).isEqualTo(ranges(0, 9999));
    }

    @Test
    void firstPosAtOrPastTheEndIsUnsatisfiable() {
        assertThat(parse("bytes=10000-")).isEqualTo(RangeRequest.UNSATISFIABLE);
        assertThat(parse("bytes=10000-10005")).isEqualTo(RangeRequest.UNSATISFIABLE);
        assertThat(parse("bytes=20000-30000, 10001-")).isEqualTo(RangeRequest.UNSATISFIABLE);
    }

    @Test
    void unsatisfiableMembersAreDroppedWhenAnotherIsSatisfiable() {
        assertThat(parse("bytes=20000-30000, 0-9")).isEqualTo(ranges(0, 9));
    }

    @Test
    void firstPosAfterLastPosMakesTheHeaderInvalid() {
        assertThat(parse("bytes=500-499")).isEqualTo(RangeRequest.NONE);
        assertThat(parse("bytes=0-1, 9-3")).isEqualTo(RangeRequest.NONE);
    }

    @Test
    void multipleRangesAreKeptInRequestOrder() {
        assertThat(parse("bytes=0-0,-1")).isEqualTo(ranges(0, 0, 9999, 9999));
        assertThat(parse("bytes=500-600,601-999")).isEqualTo(ranges(500, 600, 601, 999));
        assertThat(parse("bytes=9000-,0-99")).isEqualTo(ranges(9000, 9999, 0, 99));
    }

    @Test
    void whitespaceAroundTokensIsTolerated() {
        assertThat(parse(" bytes = 0-1 ,  5-6 ")).isEqualTo(ranges(0, 1, 5, 6));
        assertThat(parse("bytes=\t10 - 20")).isEqualTo(ranges(10, 20));
    }

    @Test
    void emptyListElementsAreAllowed() {
        assertThat(parse("bytes=, 0-1,,2-3 ,")).isEqualTo(ranges(0, 1, 2, 3));
    }

    @Test
    void unitIsCaseInsensitive() {
        assertThat(parse("BYTES=0-1")).isEqualTo(ranges(0, 1));
        assertThat(parse("Bytes=0-1")).isEqualTo(ranges(0, 1));
    }

    @Test
    void bareFormWithoutUnitIsReadAsBytes() {
        assertThat(parse("0-99")).isEqualTo(ranges(0, 99));
        assertThat(parse("100-")).isEqualTo(ranges(100, 9999));
        assertThat(parse("-100")).isEqualTo(ranges(9900, 9999));
        assertThat(parse("01-02")).isEqualTo(ranges(1, 2));
    }

    @Test
    void leadingZerosAreDigits() {
        assertThat(parse("bytes=0010-0020")).isEqualTo(ranges(10, 20));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "bytes=", "bytes= , ,", "bytes=-", "bytes=--1", "bytes=a-b", "bytes=1", "bytes=1-2-3",
            "bytes=1-2;3-4", "bytes=+1-2", "bytes=1-+2", "bytes=0x10-0x20", "bytes=1 2-3", "bytes=1-2 3",
            "items=0-1", "byte=0-1", "bytesx=0-1", "bytes 0-1", "=0-1", "bytes=1-2,x", "abc"
    })
    void invalidSyntaxIsIgnored(String header) {
        assertThat(parse(header)).isEqualTo(RangeRequest.NONE);
    }

    @Test
    void numbersThatOverflowALongAreInvalid() {
        assertThat(parse("bytes=9223372036854775807-")).isEqualTo(RangeRequest.UNSATISFIABLE);
        assertThat(parse("bytes=9223372036854775808-")).isEqualTo(RangeRequest.NONE);
        assertThat(parse("bytes=0-9223372036854775808")).isEqualTo(RangeRequest.NONE);
        assertThat(parse("bytes=-99999999999999999999")).isEqualTo(RangeRequest.NONE);
    }

    @Test
    void tooManyMembersAreTreatedAsAbuseAndIgnored() {
        String many = "bytes=" + "0-0,".repeat(RangeParser.MAX_SPECS) + "1-1";
        assertThat(parse(many)).isEqualTo(RangeRequest.NONE);
        String allowed = "bytes=" + "0-0,".repeat(RangeParser.MAX_SPECS - 1) + "1-1";
        assertThat(parse(allowed)).isInstanceOf(RangeRequest.Satisfiable.class);
    }

    @Test
    void zeroLengthRepresentationSatisfiesNoRange() {
        assertThat(RangeParser.parse("bytes=0-", 0)).isEqualTo(RangeRequest.UNSATISFIABLE);
        assertThat(RangeParser.parse("bytes=-5", 0)).isEqualTo(RangeRequest.UNSATISFIABLE);
    }

    @Test
    void contentRangeIsFormattedPerRfc() {
        assertThat(new ByteRange(0, 499).contentRange(1234)).isEqualTo("bytes 0-499/1234");
        assertThat(new ByteRange(0, 499).length()).isEqualTo(500);
    }
}
