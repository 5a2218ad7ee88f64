package io.otaedge.control.task;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A device's stable place in a task's staged rollout: FNV-1a of {@code taskId:deviceId} into
 * 0..9999 (basis points). The same device always lands in the same place, and places are spread
 * evenly, so a stage of p percent takes about p percent of the fleet and every later stage keeps it.
 */
public final class Rollout {

    public static final int PLACES = 10_000;

    private Rollout() {
    }

    public static int place(String taskId, String deviceId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (taskId + ":" + deviceId).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return (int) Long.remainderUnsigned(h, PLACES);
    }

    /** The first stage whose percentage covers this place. */
    public static int stageOf(int place, List<Double> stages) {
        for (int i = 0; i < stages.size(); i++) {
            if (place < Math.round(stages.get(i) * 100)) {
                return i;
            }
        }
        return stages.size(); // beyond the last stage: a rollout that stops short of 100 %
    }
}
