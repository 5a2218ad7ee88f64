package io.otaedge.control.admin;

import io.lettuce.core.ScoredValue;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.progress.ServedBytes;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.progress.FailureKind;
import io.otaedge.control.progress.PackageSizes;
import io.otaedge.control.progress.ServedDownload;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.RolloutRateGate;
import io.otaedge.control.task.TaskRef;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.TaskStatus;
import io.otaedge.control.task.UpgradeTask;
import io.otaedge.control.task.WindowHolds;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * {@code GET /admin/v1/tasks/{taskId}/progress}: counts per state (the task's counters, every state listed), per
 * stage enrolment, outcomes and success rate, devices timed out in UPGRADING, and one row per device (up to
 * {@code limit}, at most {@link #MAX_ROWS}). It only reads: a listed device still TO_BE_UPGRADED that the edges
 * served bytes to shows as DOWNLOADING with the share served as its step, and the counts with it
 * ({@link ServedDownload}); {@code progress.ServedBytesFold} records that move within one task-metrics interval.
 */
public final class TaskProgressView {

    /** Row fields stored as text that are numbers on the wire, as in the device lookup's rows. */
    private static final java.util.Set<String> INTEGER_FIELDS = java.util.Set.of("type", "step", "attempts", "stage");

    /** Progress rows per call; the counts come from the task's counters and cover every device. */
    static final int MAX_ROWS = 10_000;

    private final TaskRepository tasks;
    private final DeviceProgressService progress;
    private final DownloadProgressStore served;
    private final RolloutRateGate rate;
    private final TaskControlsView controls;

    public TaskProgressView(TaskRepository tasks, DeviceProgressService progress, DownloadProgressStore served) {
        this(tasks, progress, served, null);
    }

    /** @param rate the rollout rates' figures, shown as {@code rate} for a task that has one; null = not shown */
    public TaskProgressView(TaskRepository tasks, DeviceProgressService progress, DownloadProgressStore served,
                            RolloutRateGate rate) {
        this(tasks, progress, served, rate, null);
    }

    /** @param controls the success criteria's and maintenance windows' figures; null = not shown */
    private TaskProgressView(TaskRepository tasks, DeviceProgressService progress, DownloadProgressStore served,
                             RolloutRateGate rate, TaskControlsView controls) {
        this.controls = controls;
        this.rate = rate;
        this.tasks = tasks;
        this.progress = progress;
        this.served = served;
    }

    /** This view, also showing the figures of the tasks' success criteria and maintenance windows. */
    public TaskProgressView withControls(WindowHolds holds, Clock clock) {
        return new TaskProgressView(tasks, progress, served, rate, new TaskControlsView(holds, clock));
    }

    /**
     * The rows come a page at a time past any size: {@code ?limit=} rows (at most {@link #MAX_ROWS}) after
     * {@code ?cursor=}, the {@code nextCursor} of the page before (null: no row after this page). The order is the
     * order devices joined, so a device that joins while an operator pages comes on a later page, never twice.
     */
    Mono<AdminReply> progress(HttpServerRequest request) {
        String taskId = request.param("taskId");
        java.util.Map<String, String> q = AdminRequests.query(request);
        int limit = limit(q.get("limit"));
        ScoredValue<String> after = after(Paging.position(q));
        return tasks.find(taskId)
                .switchIfEmpty(Mono.error(() -> TaskLifecycleAdmin.taskNotFound(taskId)))
                // The counters first, the rows after: a device the fold moves in between then shows as moved in
                // its row while the counts still hold it waiting, never counted out of TO_BE_UPGRADED twice.
                .flatMap(task -> tasks.stats(task.productId(), task.id())
                        // One row more than asked: whether it exists says if there is a next page.
                        .flatMap(stats -> Mono.zip(tasks.deviceRows(task.productId(), task.id(), after, limit == 0 ? 0 : limit + 1),
                                        Mono.fromCompletionStage(() -> served.forTask(task.productId(), task.id())))
                                .flatMap(rb -> {
                                    List<Map<String, String>> rows = rb.getT1().rows().size() > limit
                                            ? rb.getT1().rows().subList(0, limit) : rb.getT1().rows();
                                    String next = rb.getT1().rows().size() > limit ? cursor(rb.getT1().entries().get(limit - 1)) : null;
                                    return progress.packageSizes().of(task.productId(), rows, task.firmware())
                                            .map(sizes -> {
                                                Map<String, Object> body = view(task, stats, rows, rb.getT2(), sizes);
                                                // A JSON null, written even where the mapper leaves null values out.
                                                body.put("nextCursor", next == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : next);
                                                return body;
                                            });
                                })
                                .flatMap(body -> controls == null ? Mono.just(body) : controls.addTo(task, stats, body)))
                        .flatMap(body -> withRate(task, body))
                        .flatMap(body -> withAbort(task, body))
                        .flatMap(body -> withRollback(task, body)))
                .map(AdminReply::ok);
    }

    /** The position after a page's last row: its join score and device id (the merged index's order). */
    private static String cursor(ScoredValue<String> last) {
        return Paging.encode(last.getScore() + "|" + last.getValue());
    }

    private static ScoredValue<String> after(String position) {
        if (position == null) {
            return null;
        }
        int bar = position.indexOf('|');
        try {
            return ScoredValue.just(Double.parseDouble(position.substring(0, bar)), position.substring(bar + 1));
        } catch (RuntimeException e) {
            throw Paging.invalidCursor();
        }
    }

    /** The rate in force and the devices it let in and held back, for a task with a rollout rate. */
    private Mono<Map<String, Object>> withRate(UpgradeTask task, Map<String, Object> body) {
        if (rate == null || !task.spec().rate().limited()) {
            return Mono.just(body);
        }
        return rate.figures(task).map(f -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("perMinute", f.perMinute());
            r.put("enrolled", f.enrolled());
            r.put("heldByRate", f.held());
            body.put("rate", r);
            return body;
        });
    }

    /** The abort record, for a task its abort criteria stopped: when, which criterion, the figures that met it. */
    private Mono<Map<String, Object>> withAbort(UpgradeTask task, Map<String, Object> body) {
        if (task.spec().abortCriteria().isEmpty() || task.status() != TaskStatus.STOPPED) {
            return Mono.just(body);
        }
        return tasks.abortRecord(task.productId(), task.id()).map(r -> {
            if (r.containsKey("abortedAt")) {
                long finished = number(r.get("finished"));
                long count = number(r.get("count"));
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("abortedAt", iso(r.get("abortedAt")));
                a.put("criterion", (int) number(r.get("criterion")));
                a.put("failureType", r.get("failureType"));
                a.put("thresholdPercentage", Double.parseDouble(r.get("thresholdPercentage")));
                a.put("minNumberOfExecutedThings", (int) number(r.get("minNumberOfExecutedThings")));
                a.put("finished", finished);
                a.put("count", count);
                a.put("percent", finished == 0 ? 0.0 : count * 100.0 / finished);
                body.put("abort", a);
            }
            return body;
        });
    }

    /** The links between a task and its automatic rollback, both ways, with the figures that made it. */
    private Mono<Map<String, Object>> withRollback(UpgradeTask task, Map<String, Object> body) {
        if (task.spec().rollbackOf() != null) {
            body.put("rollbackOf", task.spec().rollbackOf());
        }
        if (task.spec().autoRollback() == null) {
            return Mono.just(body);
        }
        return tasks.rollbackRecord(task.productId(), task.id()).map(r -> {
            if (r.containsKey("taskId")) {
                body.put("rollbackTaskId", r.get("taskId"));
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("createdAt", iso(r.get("lockedAt")));
                figures.put("devices", number(r.get("devices")));
                figures.put("finished", number(r.get("finished")));
                figures.put("failed", number(r.get("failed")));
                body.put("rollback", figures);
            }
            return body;
        });
    }

    private Map<String, Object> view(UpgradeTask task, Map<String, String> stats, List<Map<String, String>> rows,
                            Map<String, ServedBytes> bytes, Map<String, Long> sizes) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (DeviceTaskState s : DeviceTaskState.values()) {
            counts.put(s.name(), number(stats.get("state:" + s.name())));
        }
        TaskRef ref = TaskRef.of(task);
        // A stopped task's devices stay as they are: the state machine would not move them either.
        boolean derive = task.status() != TaskStatus.STOPPED;
        List<Map<String, Object>> devices = new ArrayList<>(rows.size());
        int timedOut = 0;
        for (Map<String, String> stored : rows) {
            ServedBytes s = bytes.getOrDefault(stored.get("deviceId"), ServedBytes.NONE);
            long size = PackageSizes.sizeOf(stored, sizes, task.firmware());
            Map<String, String> row = derive ? ServedDownload.apply(stored, s, size) : stored;
            if (row != stored && counts.get(DeviceTaskState.TO_BE_UPGRADED.name()) > 0) {
                counts.merge(DeviceTaskState.TO_BE_UPGRADED.name(), -1L, Long::sum);
                counts.merge(DeviceTaskState.DOWNLOADING.name(), 1L, Long::sum);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            row.forEach((k, v) -> out.put(k, k.endsWith("At") ? iso(v)
                    : INTEGER_FIELDS.contains(k) || k.startsWith("failures:") ? integer(v) : v));
            if (stored.containsKey("state")) {
                // Judged on the stored row: a download only derived from bytes has no start time of its own yet.
                boolean late = progress.toProgress(task.productId(), stored.get("deviceId"), task.id(), ref, stored).timedOut();
                out.put("timedOut", late);
                timedOut += late ? 1 : 0;
            }
            out.put("servedBytes", s.bytes());
            out.put("downloadPercent", s.percentOf(size));
            devices.add(out);
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("taskId", task.id());
        body.put("productId", task.productId());
        body.put("targetVersion", task.targetVersion());
        body.put("status", task.status());
        body.put("stage", task.stage());
        body.put("total", total);
        body.put("counts", counts);
        body.put("stages", stages(task, stats));
        if (stats.containsKey("autoPausedAt")) {
            body.put("autoPausedAt", iso(stats.get("autoPausedAt")));
            body.put("autoPausedStage", (int) number(stats.get("autoPausedStage")));
        }
        Map<String, Object> retries = retries(stats);
        if (retries != null) {
            body.put("retries", retries);
        }
        body.put("timedOut", timedOut);
        body.put("devices", devices);
        return body;
    }

    private static List<Map<String, Object>> stages(UpgradeTask task, Map<String, String> stats) {
        List<Map<String, Object>> out = new ArrayList<>(task.spec().rollout().stages().size());
        for (int i = 0; i < task.spec().rollout().stages().size(); i++) {
            long succeeded = number(stats.get("stage:" + i + ":succeeded"));
            long failed = number(stats.get("stage:" + i + ":failed"));
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("stage", i);
            s.put("percent", task.spec().rollout().stages().get(i));
            s.put("enrolled", number(stats.get("stage:" + i + ":enrolled")));
            s.put("succeeded", succeeded);
            s.put("failed", failed);
            s.put("successRate", succeeded + failed == 0 ? null : (double) succeeded / (succeeded + failed));
            out.add(s);
        }
        return out;
    }

    /**
     * The failures by kind, the retries each kind led to and the devices each kind failed for good (the retry
     * policy, {@link FailureKind}); null while no device failed.
     */
    private static Map<String, Object> retries(Map<String, String> stats) {
        if (stats.keySet().stream().noneMatch(k -> k.startsWith("failures:"))) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String what : List.of("failures", "retries", "exhausted")) {
            Map<String, Long> byKind = new LinkedHashMap<>();
            for (FailureKind k : FailureKind.values()) {
                byKind.put(k.key(), number(stats.get(k.statsField(what))));
            }
            out.put(what.equals("retries") ? "retried" : what, byKind);
        }
        return out;
    }

    private static int limit(String s) {
        if (s == null) {
            return MAX_ROWS;
        }
        try {
            int n = Integer.parseInt(s);
            if (n >= 0 && n <= MAX_ROWS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw ApiException.badRequest("limit must be an integer from 0 to " + MAX_ROWS);
    }

    private static long number(String s) {
        return s == null ? 0 : Long.parseLong(s);
    }

    /** The stored number, or the stored text as it is when it is not one (never a 500 for one odd row). */
    private static Object integer(String stored) {
        try {
            return Long.parseLong(stored);
        } catch (NumberFormatException e) {
            return stored;
        }
    }

    private static String iso(String millis) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(millis)).toString();
        } catch (NumberFormatException e) {
            return millis;
        }
    }
}
