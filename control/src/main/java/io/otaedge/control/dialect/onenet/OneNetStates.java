package io.otaedge.control.dialect.onenet;

import io.otaedge.control.progress.Transition;
import io.otaedge.control.task.DeviceTaskState;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * OneNET's progress codes as moves of the state machine: 0–99 downloading, 100 downloaded and now
 * upgrading, 101 downloaded, 102–107 download failures, 201 upgraded, 202–208 upgrade failures. A
 * failure keeps its code as a negative step. OneNET's own rules are narrower than the machine's:
 * download codes only before upgrading, upgrade codes only after the download. They hold for a
 * repeat too: a failed task takes no further failure code (the first one stays), and while upgrading
 * only 2xx is accepted (not step 100 again). A repeated 101 or 201 (a report sent again) is no change,
 * and so is 101 after step 100: AT-command firmware (OneNET OTA demo {@code ota.c}, {@code OTA_Process})
 * reports progress up to 100 and then {@code OTA_Report} 101 and 201; its download is indeed done.
 */
final class OneNetStates {

    private static final Map<Integer, String> TEXT = Map.ofEntries(
            Map.entry(101, "downloaded"), Map.entry(102, "download failed: no space"),
            Map.entry(103, "download failed: out of memory"), Map.entry(104, "download failed: timed out"),
            Map.entry(105, "download failed: battery low"), Map.entry(106, "download failed: weak signal"),
            Map.entry(107, "download failed: unknown"), Map.entry(201, "upgraded"),
            Map.entry(202, "upgrade failed: battery low"), Map.entry(203, "upgrade failed: out of memory"),
            Map.entry(204, "upgrade failed: version mismatch"), Map.entry(205, "upgrade failed: md5 check failed"),
            Map.entry(206, "upgrade failed: unknown"), Map.entry(207, "upgrade failed: retry limit reached"),
            Map.entry(208, "upgrade failed: expired"));

    private static final Set<DeviceTaskState> BEFORE_UPGRADE =
            EnumSet.of(DeviceTaskState.TO_BE_UPGRADED, DeviceTaskState.DOWNLOADING, DeviceTaskState.FAILED);
    private static final Set<DeviceTaskState> DOWNLOAD_DONE =
            EnumSet.of(DeviceTaskState.TO_BE_UPGRADED, DeviceTaskState.DOWNLOADING, DeviceTaskState.DOWNLOADED);
    /** 101 while the download runs, or again once downloaded. */
    private static final Set<DeviceTaskState> DOWNLOADED_FROM =
            EnumSet.of(DeviceTaskState.TO_BE_UPGRADED, DeviceTaskState.DOWNLOADING, DeviceTaskState.DOWNLOADED);
    private static final Set<DeviceTaskState> AFTER_DOWNLOAD = EnumSet.of(DeviceTaskState.DOWNLOADED, DeviceTaskState.UPGRADING);
    /** 201 after the download, or again once upgraded. */
    private static final Set<DeviceTaskState> UPGRADED_FROM =
            EnumSet.of(DeviceTaskState.DOWNLOADED, DeviceTaskState.UPGRADING, DeviceTaskState.SUCCEEDED);

    /**
     * One code as a move: the state, the step stored with it, a description, the states it may come from
     * (checked before anything else, so a state not listed refuses even a repeat of itself).
     */
    record Move(DeviceTaskState to, int step, String desc, Set<DeviceTaskState> onlyFrom) {
    }

    private OneNetStates() {
    }

    /** The move for a code, or null when OneNET defines no such code. */
    static Move moveOf(int code) {
        if (code >= 0 && code < 100) {
            return new Move(DeviceTaskState.DOWNLOADING, code, "downloading", BEFORE_UPGRADE);
        }
        if (code == 100) {
            return new Move(DeviceTaskState.UPGRADING, 100, "downloaded, upgrading", DOWNLOAD_DONE);
        }
        String text = TEXT.get(code);
        if (text == null) {
            return null;
        }
        if (code == 101) {
            return new Move(DeviceTaskState.DOWNLOADED, 100, text, DOWNLOADED_FROM);
        }
        if (code < 200) {
            return new Move(DeviceTaskState.FAILED, -code, text, DOWNLOAD_DONE);
        }
        if (code == 201) {
            return new Move(DeviceTaskState.SUCCEEDED, 100, text, UPGRADED_FROM);
        }
        return new Move(DeviceTaskState.FAILED, -code, text, AFTER_DOWNLOAD);
    }

    /** Whether a refused {@code move} only restates a download the device already finished (101 while upgrading). */
    static boolean alreadyPast(Move move, Transition t) {
        return t.outcome() == Transition.Outcome.ILLEGAL && move.to() == DeviceTaskState.DOWNLOADED
                && t.from() == DeviceTaskState.UPGRADING;
    }

    /** Report results are only the state codes (101–107, 201–208), not percentages. */
    static boolean isStateCode(int code) {
        return TEXT.containsKey(code);
    }
}
