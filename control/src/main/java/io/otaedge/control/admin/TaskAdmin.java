package io.otaedge.control.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.progress.ServedBytes;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.catalog.FirmwareStatus;
import io.otaedge.control.catalog.Names;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.redis.Ids;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.MacRange;
import io.otaedge.control.task.TaskRef;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.TaskStatus;
import io.otaedge.control.task.UpgradeMode;
import io.otaedge.control.task.UpgradeTask;
import io.otaedge.control.task.UpgradeType;
import io.otaedge.control.version.FirmwareVersion;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/** Task creation, lookup, the operator's actions (start, pause, resume, stop, advance) and progress. */
public final class TaskAdmin {

    /** Progress rows per call; the counts come from the task's counters and cover every device. */
    private static final int MAX_ROWS = 10_000;
    private static final int DEFAULT_MIN_SAMPLE = 10;

    private final ProductRepository products;
    private final FirmwareRepository firmwares;
    private final TaskRepository tasks;
    private final DeviceProgressService progress;
    private final int maxBody;
    private final Clock clock;
    private final DownloadProgressStore served;

    public TaskAdmin(ProductRepository products, FirmwareRepository firmwares, TaskRepository tasks,
                     DeviceProgressService progress, int maxBody, Clock clock, DownloadProgressStore served) {
        this.served = served;
        this.products = products;
        this.firmwares = firmwares;
        this.tasks = tasks;
        this.progress = progress;
        this.maxBody = maxBody;
        this.clock = clock;
    }

    Mono<AdminReply> create(HttpServerRequest request) {
        String productId = request.param("productId");
        return RequestBodies.readObject(request, maxBody, false).flatMap(body -> {
            String firmwareId = AdminRequests.requiredText(body, "firmwareId");
            List<String> sourceVersions = AdminRequests.optionalStrings(body, "sourceVersions", Names::isVersion,
                    "versions matching [A-Za-z0-9_.-]{1,20}");
            List<String> devices = AdminRequests.optionalStrings(body, "devices", Names::isDeviceId,
                    "device ids matching [A-Za-z0-9_.:-]{1,64}");
            int type = AdminRequests.optionalInt(body, "type", UpgradeType.FOTA.code(), 1, 2);
            int signal = AdminRequests.optionalInt(body, "signal", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
            int power = AdminRequests.optionalInt(body, "power", 0, 0, 100);
            int retry = AdminRequests.optionalInt(body, "retry", 3, 0, Integer.MAX_VALUE);
            int interval = AdminRequests.optionalInt(body, "interval", 60, 0, Integer.MAX_VALUE);
            List<MacRange> macRanges = macRanges(body);
            List<String> manufacturers = AdminRequests.optionalStrings(body, "manufacturers", s -> !s.isBlank() && s.length() <= 64,
                    "names of 1 to 64 characters");
            List<String> models = AdminRequests.optionalStrings(body, "models", s -> !s.isBlank() && s.length() <= 64,
                    "names of 1 to 64 characters");
            List<Double> stages = AdminRequests.optionalIncreasingNumbers(body, "stages", 0, 100);
            boolean autoAdvance = AdminRequests.optionalBoolean(body, "autoAdvance", false);
            Integer threshold = body.hasNonNull("failureThreshold")
                    ? AdminRequests.optionalInt(body, "failureThreshold", 0, 0, 100) : null;
            int minSample = AdminRequests.optionalInt(body, "minSample", DEFAULT_MIN_SAMPLE, 1, Integer.MAX_VALUE);
            UpgradeMode mode = mode(AdminRequests.optionalText(body, "mode"));
            String startAt = AdminRequests.optionalInstant(body, "startAt");
            String endAt = AdminRequests.optionalInstant(body, "endAt");
            if (startAt != null && endAt != null && !Instant.parse(startAt).isBefore(Instant.parse(endAt))) {
                throw ApiException.badRequest("startAt must be before endAt");
            }
            boolean autoAdd = AdminRequests.optionalBoolean(body, "autoAdd", true);
            boolean enforce = AdminRequests.optionalBoolean(body, "enforceThresholds", false);
            boolean deltaOnly = AdminRequests.optionalBoolean(body, "deltaOnly", false);
            boolean rollback = AdminRequests.optionalBoolean(body, "rollback", false);
            TaskStatus status = AdminRequests.optionalBoolean(body, "start", true) ? TaskStatus.RUNNING : TaskStatus.CREATED;
            return products.exists(productId)
                    .flatMap(exists -> exists ? firmwares.find(productId, firmwareId)
                            .switchIfEmpty(Mono.error(() -> ApiException.badRequest(
                                    "no firmware '" + firmwareId + "' in product '" + productId + "'")))
                            : Mono.error(ProductAdmin.productNotFound(productId)))
                    .flatMap(fw -> {
                        if (fw.status() == FirmwareStatus.INVALID) {
                            return Mono.error(ApiException.badRequest("firmware '" + firmwareId + "' is INVALID"));
                        }
                        if (!rollback) {
                            downgradeSource(sourceVersions, fw.version()).ifPresent(v -> {
                                throw ApiException.badRequest("sourceVersions names " + v + ", newer than the target "
                                        + fw.version() + ": a downgrade needs \"rollback\": true");
                            });
                        }
                        return tasks.create(new UpgradeTask(Ids.next("task"), productId, firmwareId, type,
                                sourceVersions, devices, signal, power, retry, interval, status,
                                Instant.now(clock).toString(), fw, macRanges, manufacturers, models, stages, 0, autoAdvance,
                                threshold, minSample, mode, startAt, endAt, autoAdd, enforce, deltaOnly, rollback));
                    })
                    .map(AdminReply::created);
        });
    }

    /** A source version the target would downgrade, if any: such a task must say it is a rollback. */
    static java.util.Optional<String> downgradeSource(List<String> sourceVersions, String target) {
        return sourceVersions.stream()
                .filter(v -> FirmwareVersion.relation(v, target) == FirmwareVersion.Relation.NEWER).findFirst();
    }

    Mono<AdminReply> list(HttpServerRequest request) {
        String productId = request.param("productId");
        return products.exists(productId)
                .flatMap(exists -> exists ? tasks.newestFirst(productId) : Mono.error(ProductAdmin.productNotFound(productId)))
                .map(list -> AdminReply.ok(Map.of("productId", productId, "tasks", list)));
    }

    Mono<AdminReply> get(HttpServerRequest request) {
        String taskId = request.param("taskId");
        return tasks.find(taskId).map(AdminReply::ok).switchIfEmpty(Mono.error(() -> taskNotFound(taskId)));
    }

    Mono<AdminReply> start(HttpServerRequest request) {
        return act(request, TaskRepository.Action.START, null);
    }

    Mono<AdminReply> pause(HttpServerRequest request) {
        return act(request, TaskRepository.Action.PAUSE, null);
    }

    Mono<AdminReply> resume(HttpServerRequest request) {
        return act(request, TaskRepository.Action.RESUME, null);
    }

    Mono<AdminReply> stop(HttpServerRequest request) {
        return act(request, TaskRepository.Action.STOP, null);
    }

    /** {@code POST /tasks/{id}/advance}, optional body {@code {"stage":n}} (default: the next stage). */
    Mono<AdminReply> advance(HttpServerRequest request) {
        return RequestBodies.readObject(request, maxBody, true).flatMap(body -> act(request, TaskRepository.Action.ADVANCE,
                body.hasNonNull("stage") ? AdminRequests.optionalInt(body, "stage", 0, 0, 1000) : null));
    }

    private Mono<AdminReply> act(HttpServerRequest request, TaskRepository.Action action, Integer stage) {
        String taskId = request.param("taskId");
        return tasks.find(taskId)
                .switchIfEmpty(Mono.error(() -> taskNotFound(taskId)))
                .flatMap(task -> tasks.control(task, action, stage))
                .map(AdminReply::ok);
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
        List<Map<String, Object>> out = new ArrayList<>(task.stages().size());
        for (int i = 0; i < task.stages().size(); i++) {
            long succeeded = number(stats.get("stage:" + i + ":succeeded"));
            long failed = number(stats.get("stage:" + i + ":failed"));
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("stage", i);
            s.put("percent", task.stages().get(i));
            s.put("enrolled", number(stats.get("stage:" + i + ":enrolled")));
            s.put("succeeded", succeeded);
            s.put("failed", failed);
            s.put("successRate", succeeded + failed == 0 ? null : (double) succeeded / (succeeded + failed));
            out.add(s);
        }
        return out;
    }

    private static List<MacRange> macRanges(JsonNode body) {
        JsonNode n = body.get("macRanges");
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw ApiException.badRequest("macRanges must be an array");
        }
        List<MacRange> out = new ArrayList<>(n.size());
        for (JsonNode item : n) {
            MacRange r = item.isObject() ? new MacRange(item.path("from").asText(null), item.path("to").asText(null)) : null;
            if (r == null || !r.valid()) {
                throw ApiException.badRequest("macRanges must hold {from, to} MAC addresses with from <= to");
            }
            out.add(r);
        }
        return out;
    }

    private static UpgradeMode mode(String s) {
        if (s == null) {
            return UpgradeMode.COMPELLENT;
        }
        try {
            return UpgradeMode.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("mode must be CONFIRM or COMPELLENT");
        }
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
