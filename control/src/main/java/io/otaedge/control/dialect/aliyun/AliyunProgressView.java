package io.otaedge.control.dialect.aliyun;

import io.otaedge.control.progress.DeviceProgress;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.UpgradeMode;
import io.otaedge.control.task.UpgradeTask;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A device's standing in a task, as the engine's state machine holds it, in Aliyun's progress
 * {@code data}: {@code status} is TO_BE_UPGRADED, UPGRADING (downloading and flashing alike), SUCCEEDED
 * or FAILED; a device the state machine judges timed out (UPGRADING longer than {@code OTA_UPGRADE_TIMEOUT},
 * the seed's 10-minute rule) is FAILED, step -1, "upgrade timed out". {@code otaType} is the task's mode;
 * {@code needConfirm} is true while a CONFIRM task's device waits for a user's {@code /living/ota/confirm}.
 */
final class AliyunProgressView {

    static final String TIMED_OUT = "upgrade timed out";

    private AliyunProgressView() {
    }

    static String status(DeviceTaskState state) {
        return switch (state) {
            case TO_BE_UPGRADED -> "TO_BE_UPGRADED";
            case DOWNLOADING, DOWNLOADED, UPGRADING -> "UPGRADING";
            case SUCCEEDED -> "SUCCEEDED";
            case FAILED -> "FAILED";
        };
    }

    static Map<String, Object> of(AliyunIdentity device, String module, String currentVersion, UpgradeTask task,
                                  DeviceProgress p) {
        String status = status(p.state());
        int step = p.state() == DeviceTaskState.SUCCEEDED ? 100 : p.step();
        String desc = p.desc() == null ? "" : p.desc();
        if (p.timedOut()) {
            status = "FAILED";
            step = -1;
            desc = TIMED_OUT;
        }
        boolean confirm = task.spec().offer().mode() == UpgradeMode.CONFIRM;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("iotId", device.iotId());
        data.put("moduleName", module);
        data.put("currentVersion", currentVersion);
        data.put("firmwareVersion", task.targetVersion());
        data.put("step", step);
        data.put("desc", desc);
        data.put("otaType", task.spec().offer().mode().name());
        data.put("needConfirm", confirm && p.state() == DeviceTaskState.TO_BE_UPGRADED && p.confirmedAt() == 0);
        data.put("status", status);
        return data;
    }
}
