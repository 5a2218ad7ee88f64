package io.otaedge.control.admin;

import io.otaedge.control.task.MaintenanceWindow;
import io.otaedge.control.task.MaintenanceWindows;
import io.otaedge.control.task.StageSuccess;
import io.otaedge.control.task.UpgradeTask;
import io.otaedge.control.task.WindowHolds;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * The task view's figures of two controls, for a task that has them: its success criteria between stages (the
 * current stage's success percentage, since when it holds, when the soak ends, a pause made for an operator) and
 * its maintenance windows (each one's next start and whether it is open now, and the checks they held back).
 */
final class TaskControlsView {

    private final WindowHolds holds;
    private final Clock clock;

    TaskControlsView(WindowHolds holds, Clock clock) {
        this.holds = holds;
        this.clock = clock;
    }

    /** Adds {@code successCriteria} and {@code maintenanceWindows} to {@code body} where the task has them. */
    Mono<Map<String, Object>> addTo(UpgradeTask task, Map<String, String> stats, Map<String, Object> body) {
        StageSuccess success = task.spec().success();
        if (success.enabled()) {
            body.put("successCriteria", success(task, success, stats));
        }
        MaintenanceWindows windows = task.spec().windows();
        if (!windows.any()) {
            return Mono.just(body);
        }
        return holds.count(task).map(held -> {
            body.put("maintenanceWindows", windows(windows, held));
            return body;
        });
    }

    private static Map<String, Object> success(UpgradeTask task, StageSuccess success, Map<String, String> stats) {
        int stage = task.stage();
        long enrolled = number(stats.get("stage:" + stage + ":enrolled"));
        long succeeded = number(stats.get("stage:" + stage + ":succeeded"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("threshold", success.threshold());
        out.put("soak", success.soak() == null ? null : success.soak().toString());
        out.put("action", success.action());
        out.put("stage", stage);
        out.put("enrolled", enrolled);
        out.put("succeeded", succeeded);
        out.put("successPercent", enrolled == 0 ? null : 100.0 * succeeded / enrolled);
        String since = stats.get("successSince:" + stage);
        out.put("successSince", since == null ? null : Instant.ofEpochMilli(Long.parseLong(since)).toString());
        out.put("soakUntil", since == null ? null
                : Instant.ofEpochMilli(Long.parseLong(since)).plus(success.soakOrZero()).toString());
        String pausedStage = stats.get("successPausedStage");
        out.put("pausedForOperatorAtStage", pausedStage == null ? null : Integer.valueOf(pausedStage));
        String pausedAt = stats.get("successPausedAt");
        out.put("pausedForOperatorAt", pausedAt == null ? null : Instant.ofEpochMilli(Long.parseLong(pausedAt)).toString());
        return out;
    }

    private Map<String, Object> windows(MaintenanceWindows windows, long held) {
        Instant now = clock.instant();
        List<Map<String, Object>> each = new ArrayList<>(windows.windows().size());
        for (MaintenanceWindow w : windows.windows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cron", w.cron());
            m.put("duration", w.duration());
            m.put("zone", w.zone());
            m.put("open", w.openSince(now).isPresent());
            m.put("nextStart", w.nextStart(now).map(Instant::toString).orElse(null));
            each.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("open", windows.openAt(now));
        out.put("nextStart", windows.nextStart(now).map(Instant::toString).orElse(null));
        out.put("heldByWindow", held);
        out.put("windows", each);
        return out;
    }

    private static long number(String s) {
        return s == null ? 0 : Long.parseLong(s);
    }
}
