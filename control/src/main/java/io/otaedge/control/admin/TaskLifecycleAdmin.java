package io.otaedge.control.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.catalog.FirmwareStatus;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.http.StrictBody;
import io.otaedge.control.task.AutoRollback;
import io.otaedge.control.task.TaskFactory;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.TaskRuleViolation;
import io.otaedge.control.task.TaskSpec;
import io.otaedge.control.task.TaskStatus;
import io.otaedge.control.task.UpgradeTask;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * A task's life through the admin API: creation (the body read and checked by {@link TaskFactory}, its
 * refusals as 400s), listing, lookup and the operator's actions (start, pause, resume, stop, advance).
 * Progress is {@link TaskProgressView}'s.
 */
public final class TaskLifecycleAdmin {

    private final ProductRepository products;
    private final FirmwareRepository firmwares;
    private final TaskRepository tasks;
    private final TaskFactory factory;
    private final int maxBody;
    /** Where the edges record the devices their cell caps refused; null = {@code heldByCellCap} not shown. */
    private final RedisClusterAsyncCommands<String, String> cellHolds;

    public TaskLifecycleAdmin(ProductRepository products, FirmwareRepository firmwares, TaskRepository tasks,
                              TaskFactory factory, int maxBody) {
        this(products, firmwares, tasks, factory, maxBody, null);
    }

    private TaskLifecycleAdmin(ProductRepository products, FirmwareRepository firmwares, TaskRepository tasks,
                               TaskFactory factory, int maxBody, RedisClusterAsyncCommands<String, String> cellHolds) {
        this.cellHolds = cellHolds;
        this.products = products;
        this.firmwares = firmwares;
        this.tasks = tasks;
        this.factory = factory;
        this.maxBody = maxBody;
    }

    /** Fields first (the first bad one named), then the product (404), its firmware, the firmware rules. */
    Mono<AdminReply> create(HttpServerRequest request) {
        String productId = request.param("productId");
        return RequestBodies.readObject(request, maxBody, false).map(StrictBody::of).flatMap(body -> {
            String firmwareId = AdminRequests.requiredText(body, "firmwareId");
            TaskSpec spec = factory.read(body);
            TaskStatus status = AdminRequests.optionalBoolean(body, "start", true) ? TaskStatus.RUNNING : TaskStatus.CREATED;
            body.refuseUnread();
            return products.exists(productId)
                    .flatMap(exists -> exists ? firmwares.find(productId, firmwareId)
                            .switchIfEmpty(Mono.error(() -> ApiException.badRequest(
                                    "no firmware '" + firmwareId + "' in product '" + productId + "'")))
                            : Mono.error(ProductAdmin.productNotFound(productId)))
                    .map(fw -> factory.create(productId, fw, spec, status))
                    .flatMap(task -> rollbackFirmwareExists(task).thenReturn(task))
                    .flatMap(tasks::create)
                    .map(AdminReply::created);
        }).onErrorMap(TaskRuleViolation.class, e -> ApiException.badRequest(e.getMessage()));
    }

    /** The firmware an automatic rollback names is one of the product's, not INVALID: checked now, not when it is needed. */
    private Mono<Void> rollbackFirmwareExists(UpgradeTask task) {
        AutoRollback r = task.spec().autoRollback();
        if (r == null) {
            return Mono.empty();
        }
        return firmwares.find(task.productId(), r.firmwareId())
                .filter(fw -> fw.status() != FirmwareStatus.INVALID)
                .switchIfEmpty(Mono.error(() -> new TaskRuleViolation("autoRollback", "autoRollback.firmwareId must name a "
                        + "firmware of product '" + task.productId() + "' that is not INVALID: '" + r.firmwareId() + "'")))
                .then();
    }

    /** {@code GET /products/{p}/tasks}: the product's tasks, newest first, a page at a time; {@code ?status=} filters. */
    Mono<AdminReply> list(HttpServerRequest request) {
        String productId = request.param("productId");
        return products.exists(productId)
                .flatMap(exists -> exists ? page(Flux.just(productId), AdminRequests.query(request))
                        : Mono.error(ProductAdmin.productNotFound(productId)));
    }

    /** {@code GET /tasks}: every product's tasks (or {@code ?productId=}'s), newest first; {@code ?status=} filters. */
    Mono<AdminReply> listAll(HttpServerRequest request) {
        Map<String, String> q = AdminRequests.query(request);
        String productId = q.get("productId");
        Flux<String> owners = productId == null ? products.ids().flatMapIterable(ids -> ids) : Flux.just(productId);
        return page(owners, q);
    }

    private Mono<AdminReply> page(Flux<String> productIds, Map<String, String> q) {
        Paging.Request page = Paging.request(q);
        TaskStatus status = status(q.get("status"));
        return productIds.concatMap(tasks::newestFirst)
                .flatMapIterable(list -> list)
                .filter(t -> status == null || t.status() == status)
                .collectSortedList(java.util.Comparator.comparing(TaskLifecycleAdmin::position))
                .map(list -> AdminReply.ok(Paging.of(list, TaskLifecycleAdmin::position, page)));
    }

    private static String position(UpgradeTask t) {
        return Paging.newestFirst(t.createdAt().toEpochMilli(), t.id());
    }

    private static TaskStatus status(String s) {
        if (s == null) {
            return null;
        }
        try {
            return TaskStatus.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("status must be one of " + java.util.Arrays.toString(TaskStatus.values()));
        }
    }

    /**
     * {@code PATCH /tasks/{id}}: a JSON merge patch of the create body's fields, checked as a create is
     * ({@link TaskFactory#edit}); the edited task, stored atomically.
     */
    Mono<AdminReply> edit(HttpServerRequest request) {
        String taskId = AdminRequests.lastSegment(request);
        return RequestBodies.readObject(request, maxBody, false)
                .flatMap(patch -> tasks.edit(taskId, task -> factory.edit(task, patch)))
                .switchIfEmpty(Mono.error(() -> taskNotFound(taskId)))
                .map(AdminReply::ok)
                .onErrorMap(TaskRuleViolation.class, e -> ApiException.badRequest(e.getMessage()));
    }

    /**
     * This admin, whose {@code GET /tasks/{id}} also shows {@code heldByCellCap}: the distinct devices the edges' NB-IoT
     * cell caps turned away at least once ({@link RedisKeys#taskCellHeld}, one {@code PFCOUNT}); absent while none.
     */
    public TaskLifecycleAdmin showingCellHolds(RedisClusterAsyncCommands<String, String> redis) {
        return new TaskLifecycleAdmin(products, firmwares, tasks, factory, maxBody, redis);
    }

    Mono<AdminReply> get(HttpServerRequest request) {
        String taskId = request.param("taskId");
        return tasks.find(taskId).flatMap(this::withCellHolds).map(AdminReply::ok)
                .switchIfEmpty(Mono.error(() -> taskNotFound(taskId)));
    }

    private Mono<Object> withCellHolds(UpgradeTask task) {
        if (cellHolds == null) {
            return Mono.just(task);
        }
        // Absent while none was turned away: the task as stored, as its create and edit answers show it.
        return Mono.fromCompletionStage(() -> cellHolds.pfcount(RedisKeys.taskCellHeld(task.id()))).map(held -> {
            if (held == null || held == 0) {
                return task;
            }
            ObjectNode body = Json.mapper().valueToTree(task);
            body.put("heldByCellCap", held);
            return body;
        });
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
        return RequestBodies.readObject(request, maxBody, true).map(StrictBody::of).flatMap(body -> {
            Integer stage = body.hasNonNull("stage") ? AdminRequests.optionalInt(body, "stage", 0, 0, 1000) : null;
            body.refuseUnread();
            return act(request, TaskRepository.Action.ADVANCE, stage);
        });
    }

    private Mono<AdminReply> act(HttpServerRequest request, TaskRepository.Action action, Integer stage) {
        String taskId = request.param("taskId");
        return tasks.find(taskId)
                .switchIfEmpty(Mono.error(() -> taskNotFound(taskId)))
                .flatMap(task -> tasks.control(task, action, stage))
                .map(AdminReply::ok);
    }

    static ApiException taskNotFound(String taskId) {
        return ApiException.notFound("task_not_found", "no task '" + taskId + "'");
    }
}
