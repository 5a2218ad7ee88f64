package io.otaedge.control.engine;

import io.otaedge.control.device.DeviceCheck;
import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.catalog.FirmwareStatus;
import io.otaedge.control.task.DeviceHints;
import io.otaedge.control.task.MacRange;
import io.otaedge.control.task.Offer;
import io.otaedge.control.task.RolloutPlan;
import io.otaedge.control.task.Schedule;
import io.otaedge.control.task.Targeting;
import io.otaedge.control.task.TaskSpec;
import io.otaedge.control.task.TaskStatus;
import io.otaedge.control.task.UpgradeMode;
import io.otaedge.control.task.UpgradeTask;
import io.otaedge.control.task.UpgradeType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpgradeDecisionEngineTest {

    static UpgradeTask task(String id, String target, int type, List<String> sources, List<String> devices, TaskStatus status) {
        Firmware fw = new Firmware("fw-" + id, "p", target, "default", "fw.bin", 10, "md5", "a".repeat(64), "2024-01-01T00:00:00Z");
        return task(id, fw, type, sources, devices, status);
    }

    static UpgradeTask task(String id, Firmware fw, int type, List<String> sources, List<String> devices, TaskStatus status) {
        TaskSpec spec = new TaskSpec(new Targeting(sources, devices, null, null, null, true),
                new RolloutPlan(null, false, null, 0), Schedule.ALWAYS,
                new Offer(UpgradeType.ofCode(type), UpgradeMode.COMPELLENT, false, false), new DeviceHints(0, 0, false, 3, 60));
        return new UpgradeTask(id, "p", fw.id(), status, 0, Instant.parse("2024-01-01T00:00:00Z"), fw, spec);
    }

    static DeviceCheck check(String device, String version, UpgradeType type) {
        return new DeviceCheck("p", device, type, version, "m", "x", null, null);
    }

    /** The rule alone, without the catalog: the first applicable task (newest first), at {@link #NOW}. */
    static Decision decide(DeviceCheck c, UpgradeTask... newestFirst) {
        UpgradeDecisionEngine.Candidates candidates = UpgradeDecisionEngine.candidates(List.of(newestFirst), c,
                UpgradeDecisionEngine.KNOWN_SINCE_EVER, NOW);
        return candidates.applicable().isEmpty() ? new Decision.NoUpgrade(candidates.reason())
                : new Decision.Upgrade(candidates.applicable().get(0));
    }

    @Test
    void aTaskWithNoFiltersAppliesToEveryDeviceAndVersion() {
        UpgradeTask t = task("t1", "2.0", 1, List.of(), List.of(), TaskStatus.RUNNING);
        assertThat(decide(check("42", "1.0", UpgradeType.FOTA), t)).isEqualTo(new Decision.Upgrade(t));
    }

    @Test
    void noTasksMeansNoTask() {
        assertThat(decide(check("42", "1.0", UpgradeType.FOTA))).isEqualTo(new Decision.NoUpgrade(NoUpgradeReason.NO_TASK));
    }

    @Test
    void aDeviceListExcludesOtherDevices() {
        UpgradeTask t = task("t1", "2.0", 1, List.of(), List.of("7", "8"), TaskStatus.RUNNING);
        assertThat(decide(check("8", "1.0", UpgradeType.FOTA), t)).isEqualTo(new Decision.Upgrade(t));
        assertThat(decide(check("9", "1.0", UpgradeType.FOTA), t)).isEqualTo(new Decision.NoUpgrade(NoUpgradeReason.NO_TASK));
    }

    @Test
    void sourceVersionsExcludeOtherVersions() {
        UpgradeTask t = task("t1", "2.0", 1, List.of("1.0", "1.1"), List.of(), TaskStatus.RUNNING);
        assertThat(decide(check("1", "1.1", UpgradeType.FOTA), t)).isEqualTo(new Decision.Upgrade(t));
        assertThat(decide(check("1", "0.9", UpgradeType.FOTA), t))
                .isEqualTo(new Decision.NoUpgrade(NoUpgradeReason.SOURCE_VERSION_EXCLUDED));
    }

    @Test
    void theTypeMustMatch() {
        UpgradeTask sota = task("t1", "2.0", 2, List.of(), List.of(), TaskStatus.RUNNING);
        assertThat(decide(check("1", "1.0", UpgradeType.FOTA), sota)).isEqualTo(new Decision.NoUpgrade(NoUpgradeReason.NO_TASK));
        assertThat(decide(check("1", "1.0", UpgradeType.SOTA), sota)).isEqualTo(new Decision.Upgrade(sota));
    }

    @Test
    void aDeviceAlreadyOnTheTargetIsUpToDate() {
        UpgradeTask t = task("t1", "2.0", 1, List.of(), List.of(), TaskStatus.RUNNING);
        assertThat(decide(check("1", "2.0", UpgradeType.FOTA), t))
                .isEqualTo(new Decision.NoUpgrade(NoUpgradeReason.ALREADY_UP_TO_DATE));
    }

    @Test
    void aDeviceOnTheTargetInAnySpellingIsUpToDate() {
        UpgradeTask t = task("t1", "1003.2.0", 1, List.of(), List.of(), TaskStatus.RUNNING);
        for (String spelling : List.of("1003.002.000", "1003.02.0", "1003.2.0", "V1003.2", "1003.2.0.0")) {
            assertThat(decide(check("1", spelling, UpgradeType.FOTA), t)).as(spelling)
                    .isEqualTo(new Decision.NoUpgrade(NoUpgradeReason.ALREADY_UP_TO_DATE));
        }
        assertThat(decide(check("1", "1003.001.009", UpgradeType.FOTA), t)).isEqualTo(new Decision.Upgrade(t));
    }

    @Test
    void aNewerDeviceIsNeverDowngradedByAnOrdinaryTask() {
        UpgradeTask t = task("t1", "1003.2.0", 1, List.of(), List.of(), TaskStatus.RUNNING);
        assertThat(decide(check("1", "1003.010.000", UpgradeType.FOTA), t))
                .isEqualTo(new Decision.NoUpgrade(NoUpgradeReason.NEWER_THAN_TARGET));
        assertThat(decide(check("1", "1004.0.0", UpgradeType.FOTA), t))
                .isEqualTo(new Decision.NoUpgrade(NoUpgradeReason.NEWER_THAN_TARGET));
    }

    @Test
    void aRollbackTaskDowngradesNewerAndUnorderedDevicesButNotOnesOnItsTarget() {
        UpgradeTask t = rollback(task("t1", "1.2.0", 1, List.of(), List.of(), TaskStatus.RUNNING));
        assertThat(decide(check("1", "1.3.0", UpgradeType.FOTA), t)).isEqualTo(new Decision.Upgrade(t));
        assertThat(decide(check("1", "nightly-b", UpgradeType.FOTA), t)).isEqualTo(new Decision.Upgrade(t));
        assertThat(decide(check("1", "1.02.0", UpgradeType.FOTA), t))
                .isEqualTo(new Decision.NoUpgrade(NoUpgradeReason.ALREADY_UP_TO_DATE));
    }

    @Test
    void anUnorderedVersionIsOfferedOnlyWhenTheTaskNamesIt() {
        UpgradeTask any = task("t1", "2.0", 1, List.of(), List.of(), TaskStatus.RUNNING);
        assertThat(decide(check("1", "beta-x", UpgradeType.FOTA), any))
                .isEqualTo(new Decision.NoUpgrade(NoUpgradeReason.VERSION_UNORDERED));
        UpgradeTask named = task("t2", "2.0", 1, List.of("beta-x"), List.of(), TaskStatus.RUNNING);
        assertThat(decide(check("1", "beta-x", UpgradeType.FOTA), named)).isEqualTo(new Decision.Upgrade(named));
    }

    @Test
    void sourceVersionsMatchInAnySpelling() {
        UpgradeTask t = task("t1", "1003.3.0", 1, List.of("1003.2.0"), List.of(), TaskStatus.RUNNING);
        assertThat(decide(check("1", "1003.002.000", UpgradeType.FOTA), t)).isEqualTo(new Decision.Upgrade(t));
    }

    static UpgradeTask rollback(UpgradeTask t) {
        TaskSpec s = t.spec();
        Offer o = s.offer();
        return new UpgradeTask(t.id(), t.productId(), t.firmwareId(), t.status(), t.stage(), t.createdAt(), t.firmware(),
                new TaskSpec(s.targeting(), s.rollout(), s.schedule(), new Offer(o.type(), o.mode(), o.deltaOnly(), true), s.hints()));
    }

    @Test
    void aTaskThatIsNotRunningIsNotOffered() {
        UpgradeTask paused = task("t1", "2.0", 1, List.of(), List.of(), TaskStatus.PAUSED);
        assertThat(decide(check("1", "1.0", UpgradeType.FOTA), paused)).isEqualTo(new Decision.NoUpgrade(NoUpgradeReason.NO_TASK));
    }

    @Test
    void theNewestApplicableTaskWins() {
        UpgradeTask older = task("old", "2.0", 1, List.of(), List.of(), TaskStatus.RUNNING);
        UpgradeTask newer = task("new", "3.0", 1, List.of(), List.of(), TaskStatus.RUNNING);
        UpgradeTask newestButNotForMe = task("newest", "4.0", 1, List.of(), List.of("other"), TaskStatus.RUNNING);
        assertThat(decide(check("1", "1.0", UpgradeType.FOTA), newestButNotForMe, newer, older)).isEqualTo(new Decision.Upgrade(newer));
    }

    static final long NOW = Instant.parse("2024-06-01T00:00:00Z").toEpochMilli();
    static final long CREATED = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();

    /** A task with the campaign fields; {@code base} gives the rest. */
    static UpgradeTask campaign(UpgradeTask base, List<MacRange> macs, List<String> manufs, List<String> models,
                                List<Double> stages, int stage, String startAt, String endAt, boolean autoAdd, boolean enforce) {
        Targeting who = base.spec().targeting();
        TaskSpec spec = new TaskSpec(new Targeting(who.sourceVersions(), who.devices(), macs, manufs, models, autoAdd),
                new RolloutPlan(stages, false, null, 10),
                new Schedule(startAt == null ? null : Instant.parse(startAt), endAt == null ? null : Instant.parse(endAt)),
                new Offer(base.upgradeType(), UpgradeMode.COMPELLENT, false, false), new DeviceHints(12, 90, enforce, 3, 60));
        return new UpgradeTask(base.id(), base.productId(), base.firmwareId(), base.status(), stage, base.createdAt(),
                base.firmware(), spec);
    }

    static NoUpgradeReason refusal(UpgradeTask t, DeviceCheck c, long firstSeen) {
        return UpgradeDecisionEngine.refusal(t, c, firstSeen, NOW);
    }

    static UpgradeTask plain() {
        return task("t1", "2.0", 1, List.of(), List.of(), TaskStatus.RUNNING);
    }

    @Test
    void macRangesAdmitOnlyDevicesInsideThem() {
        UpgradeTask t = campaign(plain(), List.of(new MacRange("00:11:22:00:00:00", "00:11:22:00:00:ff")), List.of(), List.of(),
                null, 0, null, null, true, false);
        DeviceCheck inside = new DeviceCheck("p", "d", UpgradeType.FOTA, "1.0", "m", "x", null, null, null, "00-11-22-00-00-7F");
        DeviceCheck outside = new DeviceCheck("p", "d", UpgradeType.FOTA, "1.0", "m", "x", null, null, null, "001122000100");
        assertThat(refusal(t, inside, 0)).isNull();
        assertThat(refusal(t, outside, 0)).isEqualTo(NoUpgradeReason.NO_TASK);
        assertThat(refusal(t, check("d", "1.0", UpgradeType.FOTA), 0)).isEqualTo(NoUpgradeReason.NO_TASK);
    }

    @Test
    void aManufacturerOrModelOutsideTheFilterIsAMismatch() {
        UpgradeTask t = campaign(plain(), List.of(), List.of("China Mobile"), List.of("M5310"), null, 0, null, null, true, false);
        assertThat(refusal(t, new DeviceCheck("p", "d", UpgradeType.FOTA, "1.0", "China Mobile", "M5310", null, null), 0)).isNull();
        assertThat(refusal(t, new DeviceCheck("p", "d", UpgradeType.FOTA, "1.0", "China Mobile", "M5311", null, null), 0))
                .isEqualTo(NoUpgradeReason.MANUF_MODEL_MISMATCH);
        assertThat(refusal(t, new DeviceCheck("p", "d", UpgradeType.FOTA, "1.0", "Quectel", "M5310", null, null), 0))
                .isEqualTo(NoUpgradeReason.MANUF_MODEL_MISMATCH);
    }

    @Test
    void aDifferentialTaskRefusesDevicesOnAnotherSourceVersion() {
        Firmware delta = new Firmware("fw-d", "p", "2.0", "default", "d.bin", 5, "md5", "b".repeat(64), "2024-01-01T00:00:00Z",
                "1.0", FirmwareStatus.ONLINE);
        UpgradeTask t = task("t", delta, 1, List.of(), List.of(), TaskStatus.RUNNING);
        assertThat(refusal(t, check("d", "1.0", UpgradeType.FOTA), 0)).isNull();
        assertThat(refusal(t, check("d", "1.1", UpgradeType.FOTA), 0)).isEqualTo(NoUpgradeReason.VERSION_MISMATCH);
    }

    @Test
    void theRolloutAdmitsAStablePartOfTheFleetPerStage() {
        UpgradeTask first = campaign(plain(), List.of(), List.of(), List.of(), List.of(10.0, 50.0, 100.0), 0, null, null, true, false);
        UpgradeTask second = first.withControl(TaskStatus.RUNNING, 1);
        int inFirst = 0;
        int inSecond = 0;
        for (int i = 0; i < 2000; i++) {
            DeviceCheck c = check("dev" + i, "1.0", UpgradeType.FOTA);
            boolean a = refusal(first, c, 0) == null;
            boolean b = refusal(second, c, 0) == null;
            assertThat(refusal(first, c, 0) == null).isEqualTo(a); // stable across checks
            assertThat(!a || b).as("a device admitted in stage 0 stays admitted in stage 1").isTrue();
            inFirst += a ? 1 : 0;
            inSecond += b ? 1 : 0;
        }
        assertThat(inFirst).isBetween(140, 260);
        assertThat(inSecond).isBetween(900, 1100);
        assertThat(refusal(first, check("x", "1.0", UpgradeType.FOTA), 0) == null
                || refusal(first, check("x", "1.0", UpgradeType.FOTA), 0) == NoUpgradeReason.NOT_IN_ROLLOUT).isTrue();
    }

    @Test
    void theScheduleWindowBoundsOffers() {
        UpgradeTask future = campaign(plain(), List.of(), List.of(), List.of(), null, 0, "2024-07-01T00:00:00Z", null, true, false);
        UpgradeTask past = campaign(plain(), List.of(), List.of(), List.of(), null, 0, null, "2024-05-01T00:00:00Z", true, false);
        UpgradeTask open = campaign(plain(), List.of(), List.of(), List.of(), null, 0, "2024-05-01T00:00:00Z", "2024-07-01T00:00:00Z", true, false);
        DeviceCheck c = check("d", "1.0", UpgradeType.FOTA);
        assertThat(refusal(future, c, 0)).isEqualTo(NoUpgradeReason.OUTSIDE_WINDOW);
        assertThat(refusal(past, c, 0)).isEqualTo(NoUpgradeReason.OUTSIDE_WINDOW);
        assertThat(refusal(open, c, 0)).isNull();
    }

    @Test
    void withoutAutoAddOnlyDevicesKnownBeforeTheTaskAreEnrolled() {
        UpgradeTask t = campaign(plain(), List.of(), List.of(), List.of(), null, 0, null, null, false, false);
        DeviceCheck c = check("d", "1.0", UpgradeType.FOTA);
        assertThat(refusal(t, c, CREATED - 1)).isNull();
        assertThat(refusal(t, c, CREATED + 1)).isEqualTo(NoUpgradeReason.NOT_ENROLLED);
        UpgradeTask auto = campaign(plain(), List.of(), List.of(), List.of(), null, 0, null, null, true, false);
        assertThat(refusal(auto, c, CREATED + 1)).isNull();
    }

    @Test
    void signalAndBatteryThresholdsAreEnforcedOnlyWhenAsked() {
        DeviceCheck weak = new DeviceCheck("p", "d", UpgradeType.FOTA, "1.0", "m", "x", 10, 95);
        DeviceCheck flat = new DeviceCheck("p", "d", UpgradeType.FOTA, "1.0", "m", "x", 20, 30);
        UpgradeTask handedOver = campaign(plain(), List.of(), List.of(), List.of(), null, 0, null, null, true, false);
        UpgradeTask enforced = campaign(plain(), List.of(), List.of(), List.of(), null, 0, null, null, true, true);
        assertThat(refusal(handedOver, weak, 0)).isNull();
        assertThat(refusal(enforced, weak, 0)).isEqualTo(NoUpgradeReason.SIGNAL_TOO_WEAK);
        assertThat(refusal(enforced, flat, 0)).isEqualTo(NoUpgradeReason.BATTERY_TOO_LOW);
    }

    @Test
    void theMostSpecificReasonAcrossTasksIsReported() {
        UpgradeTask notMine = task("a", "2.0", 1, List.of(), List.of("other"), TaskStatus.RUNNING);
        UpgradeTask mismatch = campaign(plain(), List.of(), List.of("Quectel"), List.of(), null, 0, null, null, true, false);
        assertThat(decide(check("d", "1.0", UpgradeType.FOTA), notMine, mismatch))
                .isEqualTo(new Decision.NoUpgrade(NoUpgradeReason.MANUF_MODEL_MISMATCH));
    }

    @Test
    void aModuleInTheCheckMustMatchTheTasksModule() {
        DeviceCheck wifi = new DeviceCheck("p", "d", UpgradeType.FOTA, "1.0", "m", "x", null, null, "wifi", null);
        DeviceCheck def = new DeviceCheck("p", "d", UpgradeType.FOTA, "1.0", "m", "x", null, null, "default", null);
        assertThat(refusal(plain(), wifi, 0)).isEqualTo(NoUpgradeReason.NO_TASK);
        assertThat(refusal(plain(), def, 0)).isNull();
    }
}
