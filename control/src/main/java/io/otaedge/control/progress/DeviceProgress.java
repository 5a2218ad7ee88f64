package io.otaedge.control.progress;

import io.otaedge.control.task.DeviceTaskState;

/**
 * A device's standing in one task, as dialects report it back (Aliyun's progress calls, the admin API).
 *
 * @param step       last reported percentage; negative after a failure (the dialect's failure code)
 * @param stateSince epoch ms when the device entered {@code state}
 * @param timedOut   UPGRADING for longer than the configured upgrade timeout
 * @param confirmedAt epoch ms when a user confirmed the upgrade (a CONFIRM task), 0 when nobody did
 */
public record DeviceProgress(String productId, String deviceId, String taskId, int type, String module,
                             String targetVersion, String fromVersion, DeviceTaskState state, int step, String desc,
                             String packageId, String packageType, int attempts, int stage, long offeredAt,
                             long updatedAt, long stateSince, boolean timedOut, long confirmedAt) {
}
