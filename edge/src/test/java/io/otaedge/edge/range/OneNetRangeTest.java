package io.otaedge.edge.range;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OneNET's documented Range rules over a 100-byte file. */
class OneNetRangeTest {

    private static final long LEN = 100;

    private static ByteRange parse(String h) {
        return OneNetRange.parse(h, LEN);
    }

    @Test
    void unitIsOptional() {
        assertThat(parse("0-99")).isEqualTo(new ByteRange(0, 99));
        assertThat(parse("bytes=0-99")).isEqualTo(new ByteRange(0, 99));
        assertThat(parse("Bytes=10-19")).isEqualTo(new ByteRange(10, 19));
    }

    @Test
    void openStartRunsToTheEnd() {
        assertThat(parse("2-")).isEqualTo(new ByteRange(2, 99));
        assertThat(parse("0-")).isEqualTo(new ByteRange(0, 99));
    }

    @Test
    void startAtOrPastTheLengthBecomesZero() {
        assertThat(parse("100-")).isEqualTo(new ByteRange(0, 99));
        assertThat(parse("5000-")).isEqualTo(new ByteRange(0, 99));
    }

    @Test
    void endAtOrPastTheLengthIsClamped() {
        assertThat(parse("10-100")).isEqualTo(new ByteRange(10, 99));
        assertThat(parse("10-99999")).isEqualTo(new ByteRange(10, 99));
    }

    @Test
    void startAfterEndBecomesZero() {
        assertThat(parse("50-20")).isEqualTo(new ByteRange(0, 20));
        assertThat(parse("150-200")).isEqualTo(new ByteRange(0, 99));
    }

    @Test
    void suffixTakesTheLastBytesOrEverything() {
        assertThat(parse("-10")).isEqualTo(new ByteRange(90, 99));
        assertThat(parse("-100")).isEqualTo(new ByteRange(0, 99));
        assertThat(parse("-1000")).isEqualTo(new ByteRange(0, 99));
    }

    @Test
    void leadingZerosAreIgnored() {
        assertThat(parse("01-02")).isEqualTo(new ByteRange(1, 2));
        assertThat(parse("bytes=007-0010")).isEqualTo(new ByteRange(7, 10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-", "-0", "abc", "1-2,3-4", "bytes=1", "items=1-2", "1-2x", "0x1-2",
            "99999999999999999999-"})
    void missingOrMalformedMeansTheWholeFile(String h) {
        assertThat(parse(h)).isNull();
    }

    @Test
    void absentHeaderMeansTheWholeFile() {
        assertThat(OneNetRange.parse(null, LEN)).isNull();
    }
}
