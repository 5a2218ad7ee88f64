package io.otaedge.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AssemblyTest {

    static final byte[] FIRMWARE = new byte[3000];

    static {
        new Random(7).nextBytes(FIRMWARE);
    }

    static byte[] range(int from, int length) {
        return Arrays.copyOfRange(FIRMWARE, from, from + length);
    }

    @Test
    void rangesInOrderWithADroppedTailCompleteWhenTheMd5Matches() {
        Assembly a = new Assembly(FIRMWARE.length, Campaign.md5(FIRMWARE));

        assertThat(a.accept(0, 1000, range(0, 1000), 1000)).isEqualTo(Assembly.PARTIAL);
        // the link drops after 300 of 1000 bytes: the device resumes from 1300
        assertThat(a.accept(1000, 1000, range(1000, 1000), 300)).isEqualTo(Assembly.PARTIAL);
        assertThat(a.received()).isEqualTo(1300);
        assertThat(a.accept(1300, 1700, range(1300, 1700), 1700)).isEqualTo(Assembly.COMPLETE);
        assertThat(a.complete()).isTrue();
    }

    @Test
    void wrongBytesAreReportedAsAnMd5Mismatch() {
        Assembly a = new Assembly(FIRMWARE.length, Campaign.md5(FIRMWARE));
        byte[] tampered = range(0, 3000);
        tampered[2999] ^= 1;

        assertThat(a.accept(0, 3000, tampered, 3000)).startsWith("assembled md5 ");
    }

    @Test
    void aRangeThatDoesNotStartAtTheReceivedOffsetOrIsShortIsReported() {
        Assembly a = new Assembly(FIRMWARE.length, Campaign.md5(FIRMWARE));

        assertThat(a.accept(10, 100, range(10, 100), 100)).contains("10").contains("0 bytes were received");
        assertThat(a.accept(0, 100, range(0, 99), 100)).isEqualTo("asked for 100 bytes, got 99");
        assertThat(a.received()).isZero();
    }
}
