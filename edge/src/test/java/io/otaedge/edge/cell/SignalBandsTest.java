package io.otaedge.edge.cell;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Signals to bands: OneNET's {@code signals} on the CSQ scale 0–31 (99 = not known), read against
 * {@code OTA_EDGE_CELL_BANDS}. The signal is whatever number a device sent at its check, so the mapping is checked for
 * every integer: total, monotone, and exactly at the thresholds.
 */
class SignalBandsTest {

    @Test
    void theDefaultsReadCsqFifteenAndUpAsGoodTenToFourteenAsMediumAndTheRestAsPoor() {
        SignalBands d = SignalBands.DEFAULT;
        assertThat(d.of(31)).isEqualTo(SignalBand.GOOD);
        assertThat(d.of(15)).isEqualTo(SignalBand.GOOD);
        assertThat(d.of(14)).isEqualTo(SignalBand.MEDIUM);
        assertThat(d.of(10)).as("OneNET's example signals, an M5310 module").isEqualTo(SignalBand.MEDIUM);
        assertThat(d.of(9)).isEqualTo(SignalBand.POOR);
        assertThat(d.of(0)).isEqualTo(SignalBand.POOR);
    }

    @Test
    void noSignalAndCsqsNotKnownArePoor() {
        assertThat(SignalBands.DEFAULT.of(null)).isEqualTo(SignalBand.POOR);
        assertThat(SignalBands.DEFAULT.of(99)).isEqualTo(SignalBand.POOR);
    }

    @Property
    void aStrongerSignalNeverFallsInAWeakerBand(@ForAll("bands") SignalBands bands, @ForAll int a, @ForAll int b) {
        if (a == SignalBands.UNKNOWN || b == SignalBands.UNKNOWN) {
            return;
        }
        int weaker = Math.min(a, b);
        int stronger = Math.max(a, b);
        assertThat(bands.of(stronger).ordinal()).isLessThanOrEqualTo(bands.of(weaker).ordinal());
    }

    @Property
    void theThresholdsAreTheFirstSignalsOfTheirBands(@ForAll("bands") SignalBands bands) {
        if (bands.goodMin() != SignalBands.UNKNOWN) {
            assertThat(bands.of(bands.goodMin())).isEqualTo(SignalBand.GOOD);
        }
        if (bands.mediumMin() != SignalBands.UNKNOWN) {
            assertThat(bands.of(bands.mediumMin())).isEqualTo(SignalBand.MEDIUM);
        }
        if (bands.mediumMin() - 1 != SignalBands.UNKNOWN) {
            assertThat(bands.of(bands.mediumMin() - 1)).isEqualTo(SignalBand.POOR);
        }
    }

    @Property
    void aWrittenBandListReadsBack(@ForAll("bands") SignalBands bands) {
        assertThat(SignalBands.parse("medium:" + bands.mediumMin() + ",good:" + bands.goodMin())).isEqualTo(bands);
    }

    @Provide
    Arbitrary<SignalBands> bands() {
        Arbitrary<Integer> medium = Arbitraries.integers().between(-200, 100);
        Arbitrary<Integer> gap = Arbitraries.integers().between(1, 100);
        return Combinators.combine(medium, gap).as((m, g) -> new SignalBands(m + g, m));
    }
}
