package io.otaedge.control.dialect.aliyun;

import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.UpgradeTask;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A device's row in a task as Aliyun's progress {@code data}: {@code status} is TO_BE_UPGRADED,
 * UPGRADING (downloading and flashing alike), SUCCEEDED or FAILED; a device still upgrading longer
 * than the configured timeout after the task was created is reported FAILED ("upgrade timed out"),
 * the seed's 10-minute rule. Tasks carry no confirm mode yet, so every push is {@code COMPELLENT}.
 */
final class AliyunProgressView {

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
                                  Map<String, String> row, Instant now, Duration timeout) {
        DeviceTaskState state = DeviceTaskState.valueOf(row.getOrDefault("state", DeviceTaskState.TO_BE_UPGRADED.name()));
        String status = status(state);
        int step = parse(row.get("step"), state == DeviceTaskState.SUCCEEDED ? 100 : 0);
        String desc = row.getOrDefault("desc", "");
        if ("UPGRADING".equals(status) && Instant.parse(task.createdAt()).plus(timeout).isBefore(now)) {
            status = "FAILED";
            step = step < 0 ? step : -1;
            desc = "upgrade timed out";
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("iotId", device.iotId());
        data.put("moduleName", module);
        data.put("currentVersion", currentVersion);
        data.put("firmwareVersion", task.targetVersion());
        data.put("step", step);
        data.put("desc", desc);
        data.put("otaType", "COMPELLENT");
        data.put("needConfirm", false);
        data.put("status", status);
        return data;
    }

    private static int parse(String s, int otherwise) {
        if (s == null || s.isEmpty()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
