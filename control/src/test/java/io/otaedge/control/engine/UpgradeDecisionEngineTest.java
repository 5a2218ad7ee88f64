package io.otaedge.control.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.task.TaskStatus;
import io.otaedge.control.task.UpgradeTask;
import io.otaedge.control.task.UpgradeType;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpgradeDecisionEngineTest {

    static UpgradeTask task(String id, String target, int type, List<String> sources, List<String> devices, TaskStatus status) {
        Firmware fw = new Firmware("fw-" + id, "p", target, "default", "fw.bin", 10, "md5", "a".repeat(64), "2024-01-01T00:00:00Z");
        return new UpgradeTask(id, "p", fw.id(), type, sources, devices, 0, 0, 3, 60, status, "2024-01-01T00:00:00Z", fw);
    }

    static DeviceCheck check(String device, String version, UpgradeType type) {
        return new DeviceCheck("p", device, type, version, "m", "x", null, null);
    }

    static Decision decide(DeviceCheck c, UpgradeTask... newestFirst) {
        return UpgradeDecisionEngine.choose(List.of(newestFirst), c);
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
        assertThat(decide(check("1", "0.9", UpgradeType.FOTA), t)).isEqualTo(new Decision.NoUpgrade(NoUpgradeReason.NO_TASK));
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
}
