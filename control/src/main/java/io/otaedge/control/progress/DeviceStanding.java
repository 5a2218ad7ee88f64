package io.otaedge.control.progress;

import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.TaskRef;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A device-task row (field → value, as the state machine stores it) read as a {@link DeviceProgress}, judged
 * against the upgrade timeout now. Pure apart from the clock.
 */
final class DeviceStanding {

    /** The states of a running upgrade: Aliyun shows all three as UPGRADING, and a device stuck in any of them times out. */
    static final Set<DeviceTaskState> IN_PROGRESS =
            Set.of(DeviceTaskState.DOWNLOADING, DeviceTaskState.DOWNLOADED, DeviceTaskState.UPGRADING);

    private final Duration upgradeTimeout;
    private final Clock clock;

    DeviceStanding(Duration upgradeTimeout, Clock clock) {
        this.upgradeTimeout = upgradeTimeout;
        this.clock = clock;
    }

    Duration upgradeTimeout() {
        return upgradeTimeout;
    }

    DeviceProgress of(String productId, String deviceId, String taskId, TaskRef ref, Map<String, String> row) {
        DeviceTaskState state = DeviceTaskState.valueOf(row.get("state"));
        long since = longOf(row.get(state.timeField()), longOf(row.get("updatedAt"), 0));
        boolean timedOut = IN_PROGRESS.contains(state) && clock.millis() - attemptStart(row, since) > upgradeTimeout.toMillis();
        return new DeviceProgress(productId, deviceId, taskId, ref.type(), ref.module(), ref.targetVersion(),
                row.get("fromVersion"), state, (int) longOf(row.get("step"), 0), row.get("desc"), row.get("packageId"),
                row.get("packageType"), (int) longOf(row.get("attempts"), 1), (int) longOf(row.get("stage"), 0),
                longOf(row.get("offeredAt"), 0), longOf(row.get("updatedAt"), 0), since, timedOut,
                longOf(row.get("confirmedAt"), 0));
    }

    /**
     * When the device's current attempt began: the earliest time it entered a running state since its
     * last failure (a retry starts a new attempt, and the clock with it).
     */
    private static long attemptStart(Map<String, String> row, long fallback) {
        long failedAt = longOf(row.get(DeviceTaskState.FAILED.timeField()), 0);
        long start = Long.MAX_VALUE;
        for (DeviceTaskState s : IN_PROGRESS) {
            long at = longOf(row.get(s.timeField()), 0);
            if (at > 0 && at >= failedAt) {
                start = Math.min(start, at);
            }
        }
        return start == Long.MAX_VALUE ? fallback : start;
    }

    private static long longOf(String s, long dflt) {
        if (s == null || s.isEmpty()) {
            return dflt;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
