package io.otaedge.control.progress;

import io.otaedge.common.progress.ServedBytes;
import io.otaedge.control.task.DeviceTaskState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the edges' byte counts say about a device the state machine still holds TO_BE_UPGRADED: it is
 * DOWNLOADING, with the share of its package served so far as its step (at most 99: only the device says
 * its download is complete). Pure: the reads (the admin progress view, Aliyun's progress calls, the task
 * gauges) show it without writing, and {@link ServedBytesFold} records it through the state machine.
 */
public final class ServedDownload {

    /** The description of a DOWNLOADING state derived from the bytes the edges served. */
    public static final String DESC = "served by the edge";

    private ServedDownload() {
    }

    /** A device stored in {@code state} that the edges served {@code served} counts as DOWNLOADING. */
    public static boolean applies(DeviceTaskState state, ServedBytes served) {
        return state == DeviceTaskState.TO_BE_UPGRADED && served != null && served.bytes() > 0;
    }

    /** The state a read shows for a device stored in {@code state}. */
    public static DeviceTaskState state(DeviceTaskState state, ServedBytes served) {
        return applies(state, served) ? DeviceTaskState.DOWNLOADING : state;
    }

    /** The step of a DOWNLOADING derived from bytes: the share of the package served, 0 to 99. */
    public static int step(ServedBytes served, long packageSize) {
        return Math.min(99, served.percentOf(packageSize));
    }

    /** A device's standing as a read shows it: unchanged unless {@link #applies}. */
    public static DeviceProgress apply(DeviceProgress p, ServedBytes served, long packageSize) {
        if (!applies(p.state(), served)) {
            return p;
        }
        return new DeviceProgress(p.productId(), p.deviceId(), p.taskId(), p.type(), p.module(), p.targetVersion(),
                p.fromVersion(), DeviceTaskState.DOWNLOADING, step(served, packageSize), DESC, p.packageId(),
                p.packageType(), p.attempts(), p.stage(), p.offeredAt(), p.updatedAt(), p.stateSince(), false,
                p.confirmedAt());
    }

    /** A device-task row (field → value, as stored) as a read shows it: a copy with state, step and desc derived. */
    public static Map<String, String> apply(Map<String, String> row, ServedBytes served, long packageSize) {
        String stored = row.get("state");
        if (stored == null || !applies(DeviceTaskState.valueOf(stored), served)) {
            return row;
        }
        Map<String, String> out = new LinkedHashMap<>(row);
        out.put("state", DeviceTaskState.DOWNLOADING.name());
        out.put("step", Integer.toString(step(served, packageSize)));
        out.put("desc", DESC);
        return out;
    }
}
