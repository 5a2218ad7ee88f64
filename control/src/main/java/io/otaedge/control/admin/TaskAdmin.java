package io.otaedge.control.admin;

import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.progress.ServedBytes;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.catalog.Names;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.redis.Ids;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.TaskStatus;
import io.otaedge.control.task.UpgradeTask;
import io.otaedge.control.task.UpgradeType;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/** Task creation, lookup and progress. */
public final class TaskAdmin {

    /** Progress rows per call; larger fleets page later (issue 4). */
    private static final int MAX_ROWS = 10_000;

    private final ProductRepository products;
    private final FirmwareRepository firmwares;
    private final TaskRepository tasks;
    private final int maxBody;
    private final Clock clock;
    private final DownloadProgressStore served;

    public TaskAdmin(ProductRepository products, FirmwareRepository firmwares, TaskRepository tasks, int maxBody, Clock clock,
                     DownloadProgressStore served) {
        this.served = served;
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
            int signal = AdminRequests.optionalInt(body, "signal", 0, 0, Integer.MAX_VALUE);
            int power = AdminRequests.optionalInt(body, "power", 0, 0, 100);
            int retry = AdminRequests.optionalInt(body, "retry", 3, 0, Integer.MAX_VALUE);
            int interval = AdminRequests.optionalInt(body, "interval", 60, 0, Integer.MAX_VALUE);
            return products.exists(productId)
                    .flatMap(exists -> exists ? firmwares.find(productId, firmwareId)
                            .switchIfEmpty(Mono.error(() -> ApiException.badRequest(
                                    "no firmware '" + firmwareId + "' in product '" + productId + "'")))
                            : Mono.error(ProductAdmin.productNotFound(productId)))
                    .flatMap(fw -> tasks.create(new UpgradeTask(Ids.next("task"), productId, firmwareId, type,
                            sourceVersions, devices, signal, power, retry, interval, TaskStatus.RUNNING,
                            Instant.now(clock).toString(), fw)))
                    .map(AdminReply::created);
        });
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

    /** Counts per state (every state listed, zeros included) and one row per device. */
    Mono<AdminReply> progress(HttpServerRequest request) {
        String taskId = request.param("taskId");
        return tasks.find(taskId)
                .switchIfEmpty(Mono.error(() -> taskNotFound(taskId)))
                .flatMap(task -> Mono.zip(tasks.deviceRows(task.productId(), task.id(), MAX_ROWS).collectList(),
                        Mono.fromCompletionStage(() -> served.forTask(task.productId(), task.id()))).map(both -> {
                    List<Map<String, String>> rows = both.getT1();
                    Map<String, ServedBytes> bytes = both.getT2();
                    Map<String, Integer> counts = new LinkedHashMap<>();
                    for (DeviceTaskState s : DeviceTaskState.values()) {
                        counts.put(s.name(), 0);
                    }
                    List<Map<String, Object>> devices = rows.stream().map(row -> {
                        Map<String, Object> out = new LinkedHashMap<>(row);
                        withDownload(out, bytes.get(row.get("deviceId")), task.firmware().size());
                        counts.computeIfPresent(String.valueOf(out.getOrDefault("state", "")), (k, n) -> n + 1);
                        out.computeIfPresent("updatedAt", (k, v) -> Instant.ofEpochMilli(Long.parseLong((String) v)).toString());
                        return out;
                    }).toList();
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("taskId", task.id());
                    body.put("productId", task.productId());
                    body.put("targetVersion", task.targetVersion());
                    body.put("status", task.status());
                    body.put("total", devices.size());
                    body.put("counts", counts);
                    body.put("devices", devices);
                    return AdminReply.ok(body);
                }));
    }

    /**
     * Adds what the edges served the device: {@code servedBytes} and {@code downloadPercent} (by the
     * highest offset served). A device that was handed a token and has been served bytes since is
     * shown as DOWNLOADING; later states come from the device's own reports and are kept.
     */
    private static void withDownload(Map<String, Object> row, ServedBytes served, long size) {
        ServedBytes s = served == null ? ServedBytes.NONE : served;
        row.put("servedBytes", s.bytes());
        row.put("downloadPercent", s.percentOf(size));
        if (s.bytes() > 0 && DeviceTaskState.TO_BE_UPGRADED.name().equals(row.get("state"))) {
            row.put("state", DeviceTaskState.DOWNLOADING.name());
        }
    }

    private static ApiException taskNotFound(String taskId) {
        return ApiException.notFound("task_not_found", "no task '" + taskId + "'");
    }

}
