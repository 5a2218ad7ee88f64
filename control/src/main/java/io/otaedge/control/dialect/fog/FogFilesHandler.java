package io.otaedge.control.dialect.fog;

import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.catalog.Names;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.version.FirmwareVersion;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * FOG's management calls on {@code /api/v1/ota/{product_id}/files/}. A file names a firmware the
 * operator uploaded to the catalog (module {@code mcu} or {@code wifi} from {@code ug_type}, the same
 * version, its md5 must match) and becomes one engine task: {@code mac_range} is the task's device
 * list, {@code status} its state. {@code file_url} is kept as given; devices get edge URLs.
 */
public final class FogFilesHandler {

    private static final int MAX_BODY = 64 * 1024;
    private static final int DEFAULT_PAGE_SIZE = 10;
    private static final int MAX_PAGE_SIZE = 100;

    private final FogAuth auth;
    private final FogStore store;
    private final FirmwareRepository firmwares;
    private final FogTasks tasks;
    private final Clock clock;

    public FogFilesHandler(FogAuth auth, FogStore store, FirmwareRepository firmwares, TaskRepository tasks, Clock clock) {
        this.auth = auth;
        this.store = store;
        this.firmwares = firmwares;
        this.tasks = new FogTasks(tasks, clock);
        this.clock = clock;
    }

    public Publisher<Void> create(HttpServerRequest request, HttpServerResponse response) {
        String productId = request.param("productId");
        Mono<FogReply> reply = body(request, response, productId).flatMap(p -> Mono.defer(() -> {
                    String fileName = p.required("file_name");
                    String fileUrl = p.required("file_url");
                    String md5 = p.required("md5");
                    String size = p.required("size");
                    String version = version(p.required("version"));
                    int otaType = p.optionalInt("ug_type", 0, 0, 1);
                    int status = p.optionalInt("status", FogFile.TEST, 0, 2);
                    List<String> macRange = macRange(p.optionalList("mac_range"));
                    String customize = p.optional("customize");
                    String description = p.optional("description");
                    String now = FogHttp.now(clock);
                    return versionFree(productId, otaType, version, -1)
                            .then(link(productId, FogFile.module(otaType), version, md5))
                            .flatMap(fw -> tasks.create(fw, macRange, status))
                            .zipWith(store.nextId(productId))
                            .flatMap(t -> store.save(new FogFile(t.getT2(), productId, otaType, fileName, fileUrl, size,
                                    md5, version, macRange, customize == null ? "" : customize, now, now,
                                    description == null ? "" : description, status, false, t.getT1().firmwareId(), t.getT1().id())));
                }))
                .map(f -> FogReply.ok("upload file ok", f.view()));
        return FogHttp.send(response, reply, "file upload");
    }

    public Publisher<Void> list(HttpServerRequest request, HttpServerResponse response) {
        String productId = request.param("productId");
        Mono<FogReply> reply = RequestBodies.settleUnread(request, response)
                .then(auth.product(authorization(request), productId))
                .then(Mono.defer(() -> {
                    FogParams q = FogParams.form(request.uri());
                    int page = q.optionalInt("page", 1, 1, Integer.MAX_VALUE);
                    int pageSize = q.optionalInt("page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
                    return store.list(productId).map(all -> {
                        int from = (int) Math.min((long) (page - 1) * pageSize, all.size());
                        int to = Math.min(from + pageSize, all.size());
                        Map<String, Object> data = new LinkedHashMap<>();
                        data.put("count", all.size());
                        data.put("page_size", pageSize);
                        String base = "http://" + request.requestHeaders().get("Host", "localhost") + "/api/v1/ota/" + productId + "/files/";
                        data.put("next", to < all.size() ? base + "?page=" + (page + 1) + "&page_size=" + pageSize : null);
                        data.put("previous", page > 1 && from > 0 ? base + "?page=" + (page - 1) + "&page_size=" + pageSize : null);
                        data.put("results", all.subList(from, to).stream().map(FogFile::view).toList());
                        return FogReply.ok("info list", data);
                    });
                }));
        return FogHttp.send(response, reply, "file list");
    }

    public Publisher<Void> get(HttpServerRequest request, HttpServerResponse response) {
        String productId = request.param("productId");
        Mono<FogReply> reply = RequestBodies.settleUnread(request, response)
                .then(auth.product(authorization(request), productId))
                .then(Mono.defer(() -> existing(productId, request.param("id"), FogReply.PARAMETER_ERROR)))
                .map(f -> FogReply.ok("file info", f.view()));
        return FogHttp.send(response, reply, "file get");
    }

    public Publisher<Void> update(HttpServerRequest request, HttpServerResponse response) {
        String productId = request.param("productId");
        Mono<FogReply> reply = body(request, response, productId).flatMap(p -> existing(productId, request.param("id"), FogReply.PARAMETER_ERROR)
                .flatMap(old -> {
                    String fileUrl = p.required("file_url");
                    String version = version(p.required("version"));
                    String md5 = p.required("md5");
                    String size = p.required("size");
                    String fileName = p.has("file_name") ? p.optional("file_name") : old.fileName();
                    String description = p.has("description") ? p.optional("description") : old.description();
                    String customize = p.has("customize") ? p.optional("customize") : old.customize();
                    List<String> macRange = p.has("mac_range") ? macRange(p.optionalList("mac_range")) : old.macRange();
                    int status = p.optionalInt("status", old.status(), 0, 2);
                    // The old task stops and a new one takes its place: a task's firmware never changes.
                    return versionFree(productId, old.otaType(), version, old.id())
                            .then(link(productId, FogFile.module(old.otaType()), version, md5))
                            .flatMap(fw -> tasks.stop(old.taskId()).then(tasks.create(fw, macRange, status)))
                            .flatMap(task -> store.save(new FogFile(old.id(), productId, old.otaType(), fileName, fileUrl, size,
                                    md5, version, macRange, customize, old.createdAt(), FogHttp.now(clock), description, status,
                                    false, task.firmwareId(), task.id())));
                }))
                .map(f -> FogReply.ok("update file ok", f.updateView()));
        return FogHttp.send(response, reply, "file update");
    }

    /**
     * The seed: a firmware version is not repeated within a product (per {@code ug_type}: its own sample
     * gives the mcu and the wifi image the same version). Error 10000 when another live file has it.
     */
    private Mono<Void> versionFree(String productId, int otaType, String version, long exceptId) {
        return store.list(productId).flatMap(files -> files.stream()
                .anyMatch(f -> f.id() != exceptId && !f.isDelete() && f.otaType() == otaType && FirmwareVersion.same(f.version(), version))
                ? Mono.error(FogReply.parameter("固件版本在同一产品下不可重复 (version " + version + " already has a file of this ug_type)"))
                : Mono.empty());
    }

    public Publisher<Void> delete(HttpServerRequest request, HttpServerResponse response) {
        String productId = request.param("productId");
        Mono<FogReply> reply = RequestBodies.settleUnread(request, response)
                .then(auth.product(authorization(request), productId))
                .then(Mono.defer(() -> existing(productId, request.param("id"), FogReply.NOT_FOUND)))
                .flatMap(f -> {
                    if (f.status() != FogFile.TEST) {
                        return Mono.error(new FogReply.Failure(FogReply.NOT_DELETABLE, "任务状态错误:仅有测试中的任务可以删除"));
                    }
                    FogFile deleted = new FogFile(f.id(), f.product(), f.otaType(), f.fileName(), f.fileUrl(), f.size(), f.md5(),
                            f.version(), f.macRange(), f.customize(), f.createdAt(), FogHttp.now(clock), f.description(),
                            f.status(), true, f.firmwareId(), f.taskId());
                    return tasks.stop(f.taskId()).then(store.save(deleted));
                })
                .map(f -> {
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("ot_id", null);
                    return FogReply.ok("任务删除成功", data);
                });
        return FogHttp.send(response, reply, "file delete");
    }

    /**
     * {@code GET /oss_token/ota/}: the seed's OSS upload policy for a browser-direct upload. There is no OSS
     * here, so after the token (401 first, like every call) it is refused with code 501, naming the way in.
     */
    public Publisher<Void> ossToken(HttpServerRequest request, HttpServerResponse response) {
        Mono<FogReply> reply = RequestBodies.settleUnread(request, response)
                .then(auth.product(authorization(request)))
                .flatMap(productId -> Mono.error(new FogReply.Failure(FogReply.NO_OSS,
                        "oss token不可用 (this server has no OSS: upload the firmware with POST /admin/v1/products/"
                                + productId + "/firmwares, then create the file with POST /api/v1/ota/" + productId
                                + "/files/ naming its version and md5)")));
        return FogHttp.send(response, reply, "oss token");
    }

    /** The body, read whole, then the token, then the parameters: a caller without the token learns nothing of them. */
    private Mono<FogParams> body(HttpServerRequest request, HttpServerResponse response, String productId) {
        String contentType = request.requestHeaders().get("Content-Type");
        return RequestBodies.read(request, MAX_BODY)
                .onErrorResume(e -> {
                    response.header("Connection", "close");
                    return Mono.error(FogReply.parameter("请求体过大 (the body is too large)"));
                })
                .flatMap(b -> auth.product(authorization(request), productId).thenReturn(b))
                .map(b -> FogParams.body(contentType, b));
    }

    /** The file by its id in the path; a malformed id is 10000, a missing or deleted one {@code notFoundCode}. */
    private Mono<FogFile> existing(String productId, String rawId, int notFoundCode) {
        long id;
        try {
            id = Long.parseLong(rawId);
        } catch (NumberFormatException e) {
            return Mono.error(FogReply.parameter("id必须是整数 (id must be an integer)"));
        }
        String message = notFoundCode == FogReply.NOT_FOUND ? "ot_id错误,找不到任务" : "参数错误:找不到固件 (no file " + id + ")";
        return store.find(productId, id).filter(f -> !f.isDelete())
                .switchIfEmpty(Mono.error(() -> new FogReply.Failure(notFoundCode, message)));
    }

    private Mono<Firmware> link(String productId, String module, String version, String md5) {
        return firmwares.idOf(productId, module, version)
                .flatMap(id -> firmwares.find(productId, id))
                .switchIfEmpty(Mono.error(() -> FogReply.parameter("固件不在目录中 (no firmware " + version
                        + " of module " + module + " in the catalog: upload it through the admin API first)")))
                .map(fw -> {
                    if (!fw.md5().equalsIgnoreCase(md5.trim())) {
                        throw FogReply.parameter("md5与固件不符 (md5 does not match the catalog firmware)");
                    }
                    return fw;
                });
    }

    private static String version(String v) {
        if (!Names.isVersion(v)) {
            throw FogReply.parameter("version格式错误 (version must match [A-Za-z0-9_.-]{1,20})");
        }
        return v;
    }

    /** Kept as given; the task's device list holds them lowercase (MACs compare case-insensitively). */
    static List<String> macRange(List<String> raw) {
        if (raw == null) {
            return null;
        }
        for (String s : raw) {
            if (!Names.isDeviceId(s)) {
                throw FogReply.parameter("mac_range格式错误 (mac_range must hold MACs or device ids)");
            }
        }
        return raw;
    }

    static String authorization(HttpServerRequest request) {
        return request.requestHeaders().get("Authorization");
    }
}
