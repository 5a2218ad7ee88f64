package io.otaedge.control.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Maintenance windows on the wall clock of their zone: the same local start lands on another UTC hour in summer,
 * a start in the spring-forward gap opens when the clocks have jumped (the day is not skipped), one in the fall-back
 * overlap opens once, and the come-back hint is the time to the next start, capped at a day.
 */
class MaintenanceWindowTest {

    static MaintenanceWindow berlin(String cron, String duration) {
        return MaintenanceWindow.of("w", cron, duration, "Europe/Berlin");
    }

    static Instant at(String s) {
        return Instant.parse(s);
    }

    @Test
    void aBerlinNightWindowOpensAtOneUtcInWinterAndMidnightUtcInSummer() {
        MaintenanceWindow w = berlin("0 2 * * *", "PT3H");
        assertThat(w.openSince(at("2026-01-10T00:59:59Z"))).isEmpty();
        assertThat(w.openSince(at("2026-01-10T01:00:00Z"))).contains(at("2026-01-10T01:00:00Z"));
        assertThat(w.openSince(at("2026-01-10T03:59:59Z"))).contains(at("2026-01-10T01:00:00Z"));
        assertThat(w.openSince(at("2026-01-10T04:00:00Z"))).as("the end is exclusive").isEmpty();
        assertThat(w.nextStart(at("2026-01-10T00:00:00Z"))).contains(at("2026-01-10T01:00:00Z"));

        assertThat(w.openSince(at("2026-07-10T00:00:00Z"))).contains(at("2026-07-10T00:00:00Z"));
        assertThat(w.openSince(at("2026-07-10T03:00:00Z"))).isEmpty();
        assertThat(w.nextStart(at("2026-07-10T03:00:00Z"))).contains(at("2026-07-11T00:00:00Z"));
    }

    @Test
    void aStartInTheSpringForwardGapOpensAfterTheJumpThatSameDay() {
        // 2026-03-29 in Berlin: 02:00 CET jumps to 03:00 CEST (01:00Z); 02:30 does not exist that night.
        MaintenanceWindow w = berlin("30 2 * * *", "PT1H");
        assertThat(w.nextStart(at("2026-03-28T12:00:00Z"))).contains(at("2026-03-29T01:30:00Z"));
        assertThat(w.nextStart(at("2026-03-29T01:10:00Z"))).as("just after the jump, before the shifted start")
                .contains(at("2026-03-29T01:30:00Z"));
        assertThat(w.openSince(at("2026-03-29T01:45:00Z"))).contains(at("2026-03-29T01:30:00Z"));
        assertThat(w.nextStart(at("2026-03-29T01:45:00Z"))).as("back on summer time the next night")
                .contains(at("2026-03-30T00:30:00Z"));
    }

    @Test
    void aStartInTheFallBackOverlapOpensOnceAtItsFirstOccurrence() {
        // 2026-10-25 in Berlin: 03:00 CEST falls back to 02:00 CET (01:00Z); 02:30 happens at 00:30Z and at 01:30Z.
        MaintenanceWindow w = berlin("30 2 * * *", "PT30M");
        assertThat(w.nextStart(at("2026-10-24T12:00:00Z"))).contains(at("2026-10-25T00:30:00Z"));
        assertThat(w.openSince(at("2026-10-25T00:45:00Z"))).contains(at("2026-10-25T00:30:00Z"));
        assertThat(w.openSince(at("2026-10-25T01:40:00Z"))).as("not again on the second 02:30").isEmpty();
        assertThat(w.nextStart(at("2026-10-25T01:10:00Z"))).contains(at("2026-10-26T01:30:00Z"));
    }

    @Test
    void severalWindowsOpenWhenAnyIsOpenAndHintTheEarliestNextStart() {
        MaintenanceWindows ws = new MaintenanceWindows(List.of(
                MaintenanceWindow.of("w0", "0 2 * * *", "PT1H", "UTC"),
                MaintenanceWindow.of("w1", "0 14 * * 1-5", "PT2H", "Asia/Shanghai"))); // 06:00Z on weekdays
        Instant friday = at("2026-03-06T05:00:00Z");
        assertThat(ws.openAt(friday)).isFalse();
        assertThat(ws.retryAfterSeconds(friday)).isEqualTo(3600);
        assertThat(ws.openAt(at("2026-03-06T07:59:00Z"))).isTrue();
        assertThat(ws.openAt(at("2026-03-06T02:30:00Z"))).isTrue();
        Instant saturday = at("2026-03-07T05:00:00Z");
        assertThat(ws.retryAfterSeconds(saturday)).as("no weekday window on Saturday: tomorrow 02:00Z")
                .isEqualTo(21 * 3600);
        assertThat(ws.retryAfterSeconds(at("2026-03-07T01:59:59.500Z"))).as("rounded up, at least 1").isEqualTo(1);
    }

    @Test
    void theHintIsCappedAtADay() {
        MaintenanceWindows yearly = new MaintenanceWindows(List.of(MaintenanceWindow.of("w", "0 0 1 1 *", "PT1H", "UTC")));
        assertThat(yearly.retryAfterSeconds(at("2026-03-06T05:00:00Z"))).isEqualTo(86_400);
        assertThat(MaintenanceWindows.ALWAYS.openAt(at("2026-03-06T05:00:00Z"))).isTrue();
    }

    @Test
    void eachBadPartIsRefusedByItsFieldName() {
        assertThatThrownBy(() -> MaintenanceWindow.of("maintenanceWindows[1]", "0 25 * * *", "PT1H", "UTC"))
                .isInstanceOf(TaskRuleViolation.class).extracting("field").isEqualTo("maintenanceWindows[1].cron");
        assertThatThrownBy(() -> MaintenanceWindow.of("maintenanceWindows[0]", "0 2 * * *", "3 hours", "UTC"))
                .extracting("field").isEqualTo("maintenanceWindows[0].duration");
        assertThatThrownBy(() -> MaintenanceWindow.of("maintenanceWindows[0]", "0 2 * * *", "PT0S", "UTC"))
                .extracting("field").isEqualTo("maintenanceWindows[0].duration");
        assertThatThrownBy(() -> MaintenanceWindow.of("maintenanceWindows[0]", "0 2 * * *", "PT1H", "Mars/Olympus"))
                .extracting("field").isEqualTo("maintenanceWindows[0].zone");
        assertThat(MaintenanceWindow.of("w", "0 0 30 2 *", "PT1H", "UTC").nextStart(at("2026-01-01T00:00:00Z")))
                .as("30 February never comes").isEqualTo(Optional.empty());
    }
}
