package io.otaedge.control.admin;

import io.otaedge.common.blob.BlobStore;
import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.catalog.FirmwareStatus;
import io.otaedge.control.catalog.FirmwareUploader;
import io.otaedge.control.catalog.Names;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.http.StrictBody;
import io.otaedge.control.metrics.ControlMetrics;
import io.otaedge.control.redis.Ids;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.version.FirmwareVersion;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Firmware upload and listing. The upload's raw body streams into the blob store; the catalog
 * record is written only after the blob is durable, so a failed upload leaves neither behind.
 */
public final class FirmwareAdmin {

    private final ProductRepository products;
    private final FirmwareRepository firmwares;
    private final FirmwareUploader uploader;
    private final Clock clock;
    private final ControlMetrics metrics;
    private final int maxBody;
    private FirmwareRemoval removal;

    public FirmwareAdmin(ProductRepository products, FirmwareRepository firmwares, FirmwareUploader uploader, Clock clock) {
        this(products, firmwares, uploader, clock, 1 << 16, ControlMetrics.unregistered());
    }

    /** Enables {@code DELETE …/firmwares/{id}}: it needs the product's tasks and the blob store ({@link FirmwareRemoval}). */
    public FirmwareAdmin deleting(TaskRepository tasks, BlobStore blobs) {
        this.removal = new FirmwareRemoval(products, firmwares, tasks, blobs);
        return this;
    }

    /** {@code DELETE …/firmwares/{firmwareId}}: 204, or 409 while a task that is not stopped uses it. */
    Mono<AdminReply> delete(HttpServerRequest request) {
        if (removal == null) {
            return Mono.error(ApiException.notFound("not_found", "firmware deletion is not enabled"));
        }
        return removal.remove(request.param("productId"), request.param("firmwareId")).thenReturn(AdminReply.noContent());
    }

    public FirmwareAdmin(ProductRepository products, FirmwareRepository firmwares, FirmwareUploader uploader, Clock clock,
                         int maxBody, ControlMetrics metrics) {
        this.metrics = metrics;
        this.maxBody = maxBody;
        this.products = products;
        this.firmwares = firmwares;
        this.uploader = uploader;
        this.clock = clock;
    }

    /**
     * Stores an upload and counts how it ended ({@code ota_control_firmware_uploads_total}): a caller's mistake
     * apart from a failure of ours, so that only the latter alerts.
     */
    Mono<AdminReply> upload(HttpServerRequest request) {
        return Mono.defer(() -> store(request))
                .doOnSuccess(reply -> metrics.upload(ControlMetrics.Upload.OK))
                .doOnError(e -> metrics.upload(ControlMetrics.Upload.ofFailure(e instanceof ApiException api ? api.status() : 0)));
    }

    private Mono<AdminReply> store(HttpServerRequest request) {
        String productId = request.param("productId");
        Map<String, String> q = AdminRequests.query(request);
        String version = q.get("version");
        if (version == null) {
            throw ApiException.badRequest("the query parameter version is required");
        }
        if (!Names.isVersion(version) || !FirmwareVersion.isUploadable(version)) {
            throw new ApiException(400, "invalid_version", "version must match [A-Za-z0-9_.-]{1,20} and be "
                    + FirmwareVersion.UPLOADABLE_RULE);
        }
        String module = q.getOrDefault("module", Firmware.DEFAULT_MODULE);
        if (!Names.isModule(module)) {
            throw ApiException.badRequest("module must match [A-Za-z0-9_.-]{1,32}");
        }
        String sourceVersion = q.get("sourceVersion");
        if (sourceVersion != null && (!Names.isVersion(sourceVersion) || FirmwareVersion.same(sourceVersion, version))) {
            throw ApiException.badRequest("sourceVersion must match [A-Za-z0-9_.-]{1,20} and differ from version");
        }
        FirmwareStatus status = q.containsKey("status") ? FirmwareStatus.parse(q.get("status")) : FirmwareStatus.ONLINE;
        if (status == null) {
            throw ApiException.badRequest("status must be TEST, ONLINE or INVALID");
        }
        String fileName = q.getOrDefault("fileName", "firmware-" + version + ".bin");
        if (!Names.isFileName(fileName)) {
            throw ApiException.badRequest("fileName must be a plain file name of at most 128 characters");
        }
        checkDeclaredLength(request.requestHeaders().get("Content-Length"));

        // Cheap refusals come before the body is read: unknown product, version already there.
        return products.exists(productId)
                .flatMap(exists -> exists ? firmwares.idOf(productId, module, version, sourceVersion)
                        : Mono.error(ProductAdmin.productNotFound(productId)))
                .flatMap(existing -> Mono.<Firmware>error(FirmwareRepository.versionTaken(module, version, sourceVersion)))
                .switchIfEmpty(Mono.defer(() -> uploader.store(request.receive().asByteArray())
                        .flatMap(blob -> {
                            if (blob.size() == 0) {
                                return Mono.error(ApiException.badRequest("the firmware is empty"));
                            }
                            Firmware fw = new Firmware(Ids.next("fw"), productId, version, module, fileName,
                                    blob.size(), blob.md5(), blob.sha256(), Instant.now(clock).toString(), sourceVersion, status, blob.sha1());
                            return firmwares.add(fw);
                        })))
                .map(AdminReply::created);
    }

    /** {@code GET …/firmwares}: oldest first, a page at a time; {@code ?module=} and {@code ?status=} filter. */
    Mono<AdminReply> list(HttpServerRequest request) {
        String productId = request.param("productId");
        Map<String, String> q = AdminRequests.query(request);
        Paging.Request page = Paging.request(q);
        String module = q.get("module");
        FirmwareStatus status = q.containsKey("status") ? FirmwareStatus.parse(q.get("status")) : null;
        if (q.containsKey("status") && status == null) {
            throw ApiException.badRequest("status must be TEST, ONLINE or INVALID");
        }
        return products.exists(productId)
                .flatMap(exists -> exists ? firmwares.list(productId)
                        .filter(fw -> (module == null || module.equals(fw.module())) && (status == null || status == fw.status()))
                        .collectList()
                        : Mono.error(ProductAdmin.productNotFound(productId)))
                .map(list -> AdminReply.ok(Paging.of(list, FirmwareAdmin::position, page)));
    }

    /** Oldest first as listed (the catalog's index is by upload time), ties by id. */
    private static String position(Firmware fw) {
        return Paging.oldestFirst(Instant.parse(fw.createdAt()).toEpochMilli(), fw.id());
    }

    Mono<AdminReply> get(HttpServerRequest request) {
        String productId = request.param("productId");
        String firmwareId = request.param("firmwareId");
        return firmwares.find(productId, firmwareId)
                .map(AdminReply::ok)
                .switchIfEmpty(Mono.error(() -> FirmwareRepository.notFound(productId, firmwareId)));
    }

    /** {@code PUT …/firmwares/{firmwareId}/status} {@code {"status":"TEST|ONLINE|INVALID"}}. */
    Mono<AdminReply> setStatus(HttpServerRequest request) {
        String productId = request.param("productId");
        String firmwareId = request.param("firmwareId");
        return RequestBodies.readObject(request, maxBody, false).map(StrictBody::of).flatMap(body -> {
            FirmwareStatus status = FirmwareStatus.parse(AdminRequests.requiredText(body, "status"));
            body.refuseUnread();
            if (status == null) {
                return Mono.error(ApiException.badRequest("status must be TEST, ONLINE or INVALID"));
            }
            return firmwares.setStatus(productId, firmwareId, status).map(AdminReply::ok);
        });
    }

    private void checkDeclaredLength(String contentLength) {
        if (contentLength == null) {
            return; // chunked: the writer enforces the limit while streaming
        }
        long declared;
        try {
            declared = Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Content-Length is not a number");
        }
        if (declared > uploader.maxSize()) {
            throw uploader.tooLarge();
        }
        if (declared == 0) {
            throw ApiException.badRequest("the firmware is empty");
        }
    }
}
