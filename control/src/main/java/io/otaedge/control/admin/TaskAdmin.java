package io.otaedge.control.admin;

import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.progress.ServedBytes;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.TaskRef;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.UpgradeTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/** A task's progress: its counters, stages and device rows. Creation, lookup and actions are {@link TaskLifecycleAdmin}'s. */
public final class TaskAdmin {

    /** Progress rows per call; the counts come from the task's counters and cover every device. */
    private static final int MAX_ROWS = 10_000;

    private final TaskRepository tasks;
    private final DeviceProgressService progress;
    private final DownloadProgressStore served;

    public TaskAdmin(TaskRepository tasks, DeviceProgressService progress, DownloadProgressStore served) {
        this.served = served;
        this.tasks = tasks;
        this.progress = progress;
    }

    /**
     * Counts per state (from the task's counters, every state listed), per stage enrolment, outcomes
     * and success rate, devices timed out in UPGRADING, and one row per device (up to {@code limit}).
     */
    Mono<AdminReply> progress(HttpServerRequest request) {
        String taskId = request.param("taskId");
        int limit = limit(AdminRequests.query(request).get("limit"));
        return tasks.find(taskId)
                .switchIfEmpty(Mono.error(() -> taskNotFound(taskId)))
                .flatMap(task -> Mono.zip(tasks.deviceRows(task.productId(), task.id(), limit).collectList(),
                        Mono.fromCompletionStage(() -> served.forTask(task.productId(), task.id())))
                        .flatMap(rb -> packageSizes(task, rb.getT1()).flatMap(sizes -> foldServed(task, rb.getT1(), rb.getT2(), sizes)
                                .flatMap(moved -> Mono.zip(tasks.stats(task.productId(), task.id()),
                                        moved ? tasks.deviceRows(task.productId(), task.id(), limit).collectList() : Mono.just(rb.getT1()),
                                        Mono.just(rb.getT2()), Mono.just(sizes)))))
                        .map(sr -> {
                            Map<String, String> stats = sr.getT1();
                            Map<String, Long> counts = new LinkedHashMap<>();
                            long total = 0;
                            for (DeviceTaskState s : DeviceTaskState.values()) {
                                long n = number(stats.get("state:" + s.name()));
                                counts.put(s.name(), n);
                                total += n;
                            }
                            TaskRef ref = TaskRef.of(task);
                            List<Map<String, Object>> devices = new ArrayList<>(sr.getT2().size());
                            int timedOut = 0;
                            for (Map<String, String> row : sr.getT2()) {
                                Map<String, Object> out = deviceRow(task, ref, row);
                                withDownload(out, sr.getT3().get(row.get("deviceId")), sizeOf(task, row, sr.getT4()));
                                timedOut += Boolean.TRUE.equals(out.get("timedOut")) ? 1 : 0;
                                devices.add(out);
                            }
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
                            body.put("timedOut", timedOut);
                            body.put("devices", devices);
                            return AdminReply.ok(body);
                        }));
    }

    private Map<String, Object> deviceRow(UpgradeTask task, TaskRef ref, Map<String, String> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((k, v) -> out.put(k, k.endsWith("At") ? iso(v) : v));
        if (row.containsKey("state")) {
            String deviceId = row.get("deviceId");
            out.put("timedOut", progress.toProgress(task.productId(), deviceId, task.id(), ref, row).timedOut());
        }
        return out;
    }

    /**
     * The edge's byte counts feed DOWNLOADING: each listed device still TO_BE_UPGRADED that the edges
     * served bytes to moves on through the state machine, so the counts and the rows agree. True when any moved.
     */
    private Mono<Boolean> foldServed(UpgradeTask task, List<Map<String, String>> rows, Map<String, ServedBytes> bytes,
                                     Map<String, Long> sizes) {
        return Flux.fromIterable(rows)
                .filter(row -> DeviceTaskState.TO_BE_UPGRADED.name().equals(row.get("state")) && bytes.containsKey(row.get("deviceId")))
                .concatMap(row -> progress.foldServed(task.productId(), row.get("deviceId"), task.id(),
                        DeviceTaskState.TO_BE_UPGRADED, bytes.get(row.get("deviceId")), sizeOf(task, row, sizes)))
                .reduce(false, Boolean::logicalOr);
    }

    /**
     * The size of every package the listed devices were handed other than the task's own firmware
     * (differential packages, one per source version): a device's download share is of its package.
     */
    private Mono<Map<String, Long>> packageSizes(UpgradeTask task, List<Map<String, String>> rows) {
        return Flux.fromIterable(rows)
                .map(row -> row.getOrDefault("packageId", task.firmware().id()))
                .filter(id -> !id.equals(task.firmware().id()))
                .distinct()
                .concatMap(id -> progress.packageSize(task.productId(), id, task.firmware()).map(size -> Map.entry(id, size)))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    private static long sizeOf(UpgradeTask task, Map<String, String> row, Map<String, Long> sizes) {
        String id = row.get("packageId");
        return id == null ? task.firmware().size() : sizes.getOrDefault(id, task.firmware().size());
    }

    /** Adds what the edges served the device: {@code servedBytes} and {@code downloadPercent} (by the highest offset served). */
    private static void withDownload(Map<String, Object> row, ServedBytes served, long size) {
        ServedBytes s = served == null ? ServedBytes.NONE : served;
        row.put("servedBytes", s.bytes());
        row.put("downloadPercent", s.percentOf(size));
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

    private static String iso(String millis) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(millis)).toString();
        } catch (NumberFormatException e) {
            return millis;
        }
    }

    static ApiException taskNotFound(String taskId) {
        return ApiException.notFound("task_not_found", "no task '" + taskId + "'");
    }
}
