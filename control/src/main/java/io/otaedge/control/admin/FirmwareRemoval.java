package io.otaedge.control.admin;

import io.otaedge.common.blob.BlobStore;
import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.TaskStatus;
import io.otaedge.control.task.UpgradeTask;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Deletes a firmware: refused (409) while a created, running or paused task of its product uses it; the record
 * and its index entries go in one script that also checks no task was added since the check. Then its blob, which
 * is content-addressed and may be shared, goes only when no firmware of any product has the same sha256: moved
 * aside, the references checked again (an upload of the same bytes may have finished meanwhile: then it is put
 * back), then deleted. A crash at any step leaves either the firmware whole, or no record and at most a blob
 * nothing references (or a moved-aside temp file, removed at the next start).
 */
final class FirmwareRemoval {

    private static final Logger log = LoggerFactory.getLogger(FirmwareRemoval.class);
    /** Tasks created while a delete is checked make it check again, this many times. */
    private static final int ATTEMPTS = 5;

    private final ProductRepository products;
    private final FirmwareRepository firmwares;
    private final TaskRepository tasks;
    private final BlobStore blobs;

    FirmwareRemoval(ProductRepository products, FirmwareRepository firmwares, TaskRepository tasks, BlobStore blobs) {
        this.products = products;
        this.firmwares = firmwares;
        this.tasks = tasks;
        this.blobs = blobs;
    }

    Mono<Void> remove(String productId, String firmwareId) {
        return firmwares.find(productId, firmwareId)
                .switchIfEmpty(Mono.error(() -> FirmwareRepository.notFound(productId, firmwareId)))
                .flatMap(fw -> attempt(fw, ATTEMPTS).then(collect(fw.sha256())));
    }

    private Mono<Void> attempt(Firmware fw, int left) {
        // The ids first: a task created between the two reads changes the ids the script compares with.
        return tasks.idsOldestFirst(fw.productId()).flatMap(ids -> tasks.newestFirst(fw.productId()).flatMap(list -> {
            List<String> users = list.stream().filter(t -> uses(t, fw)).map(UpgradeTask::id).toList();
            if (!users.isEmpty()) {
                return Mono.error(ApiException.conflict("firmware_in_use", "firmware '" + fw.id() + "' is used by "
                        + "task(s) " + String.join(", ", users) + " that are not stopped; stop them first"));
            }
            return firmwares.delete(fw, ids).flatMap(result -> switch (result) {
                case OK -> Mono.<Void>empty();
                case NONE -> Mono.<Void>error(FirmwareRepository.notFound(fw.productId(), fw.id()));
                case CHANGED -> left > 1 ? attempt(fw, left - 1) : Mono.<Void>error(ApiException.conflict("catalog_changed",
                        "the product's tasks kept changing while firmware '" + fw.id() + "' was deleted; retry"));
            });
        }));
    }

    private static boolean uses(UpgradeTask t, Firmware fw) {
        return t.firmwareId().equals(fw.id()) && t.status() != TaskStatus.STOPPED;
    }

    /** The blob removed if nothing references it any more; a failure here is logged (the record is gone already). */
    private Mono<Void> collect(String sha256) {
        return referenced(sha256).flatMap(used -> used ? Mono.<Void>empty()
                : Mono.fromCallable(() -> blobs.moveAside(sha256)).subscribeOn(Schedulers.boundedElastic())
                        .flatMap(aside -> referenced(sha256).flatMap(again -> Mono.<Void>fromRunnable(() -> settle(aside, sha256, again))
                                .subscribeOn(Schedulers.boundedElastic()))))
                .onErrorResume(e -> {
                    log.warn("firmware blob {} could not be removed; it stays on disk unreferenced", sha256, e);
                    return Mono.empty();
                });
    }

    private void settle(Path aside, String sha256, boolean referencedAgain) {
        try {
            if (referencedAgain) {
                blobs.restore(aside, sha256);
            } else {
                blobs.discard(aside);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether any firmware of any product has these bytes (blobs are shared across products). */
    private Mono<Boolean> referenced(String sha256) {
        return products.ids().flatMapMany(Flux::fromIterable)
                .concatMap(firmwares::list)
                .any(fw -> sha256.equals(fw.sha256()));
    }
}
