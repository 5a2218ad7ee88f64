package io.otaedge.control.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.catalog.FirmwareStatus;
import io.otaedge.control.catalog.Names;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.redis.Ids;
import io.otaedge.control.task.MacRange;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.TaskStatus;
import io.otaedge.control.task.UpgradeMode;
import io.otaedge.control.task.UpgradeTask;
import io.otaedge.control.task.UpgradeType;
import io.otaedge.control.version.FirmwareVersion;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/** Task creation, lookup, the operator's actions (start, pause, resume, stop, advance) and progress. */
public final class TaskAdmin {

    private static final int DEFAULT_MIN_SAMPLE = 10;

    private final ProductRepository products;
    private final FirmwareRepository firmwares;
    private final TaskRepository tasks;
    private final int maxBody;
    private final Clock clock;
    private final TaskProgressView progressView;

    public TaskAdmin(ProductRepository products, FirmwareRepository firmwares, TaskRepository tasks,
                     DeviceProgressService progress, int maxBody, Clock clock, DownloadProgressStore served) {
        this.progressView = new TaskProgressView(tasks, progress, served);
        this.products = products;
        this.firmwares = firmwares;
        this.tasks = tasks;
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

    /** The task's progress; reads only ({@link TaskProgressView}). */
    Mono<AdminReply> progress(HttpServerRequest request) {
        return progressView.progress(request);
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

    static ApiException taskNotFound(String taskId) {
        return ApiException.notFound("task_not_found", "no task '" + taskId + "'");
    }
}
