package io.otaedge.control.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The hints a fleet is given are spread and each device's is stable: 3000 devices of one task told a 60-second
 * interval come back over 48–72 s, no two-second bucket holding more than 12 % of them (an even spread is 8.3 %);
 * come-back hints are never sooner than asked.
 */
class JitterTest {

    static final int FLEET = 3000;

    @Test
    void intervalsSpreadOverPlusMinusTwentyPercentAndNoTwoSecondBucketHoldsMoreThanTwelvePercent() {
        Map<Integer, Integer> buckets = new TreeMap<>();
        for (int i = 0; i < FLEET; i++) {
            int s = Jitter.around(60, "task_1", "dev" + i);
            assertThat(s).isBetween(48, 72);
            buckets.merge(s / 2, 1, Integer::sum);
        }
        assertThat(buckets).hasSizeGreaterThanOrEqualTo(12);
        assertThat(buckets.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(FLEET * 12 / 100));
    }

    @Test
    void aDeviceIsToldTheSameEveryTimeAndAnotherTaskMovesItElsewhere() {
        int differs = 0;
        for (int i = 0; i < 100; i++) {
            assertThat(Jitter.around(300, "task_1", "dev" + i)).isEqualTo(Jitter.around(300, "task_1", "dev" + i));
            differs += Jitter.around(300, "task_1", "dev" + i) != Jitter.around(300, "task_2", "dev" + i) ? 1 : 0;
        }
        assertThat(differs).isGreaterThan(90);
    }

    @Test
    void comeBackHintsAreOnlyEverStretchedAndZeroStaysZero() {
        for (int i = 0; i < FLEET; i++) {
            assertThat(Jitter.later(45, "task_1", "dev" + i)).isBetween(45, 54);
            assertThat(Jitter.laterFactor("task_1", "dev" + i)).isGreaterThanOrEqualTo(1).isLessThan(1.2);
        }
        assertThat(Jitter.around(0, "t", "d")).isZero();
        assertThat(Jitter.later(0, "t", "d")).isZero();
        assertThat(Jitter.around(1, "t", "d")).isEqualTo(1);
    }
}
