package io.otaedge.control.admin;

import io.otaedge.control.catalog.Product;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.TaskStatus;
import reactor.core.publisher.Mono;

/**
 * Archives a product or makes it active again. An archived product keeps all its data; the firmware and task
 * scripts refuse it new ones ({@code product_archived}), and its tasks that are not stopped are stopped through the
 * operator's stop, so its devices' checks find no running task and get each dialect's "no upgrade". The status is
 * written first and the tasks listed after: a task created meanwhile was created before the status (it is listed
 * and stopped) or is refused by the create script. Archiving again finishes a pass a crash cut short.
 */
final class ProductArchive {

    /** Status writes that lost a race with another write of the record are tried again, this many times. */
    private static final int ATTEMPTS = 5;

    private final ProductRepository products;
    private final TaskRepository tasks;

    ProductArchive(ProductRepository products, TaskRepository tasks) {
        this.products = products;
        this.tasks = tasks;
    }

    Mono<Product> set(String productId, String status) {
        return write(productId, status, ATTEMPTS)
                .flatMap(p -> p.archived() ? stopTasks(productId).thenReturn(p) : Mono.just(p));
    }

    private Mono<Product> write(String productId, String status, int left) {
        return products.replaceStatus(productId, status)
                .switchIfEmpty(Mono.error(() -> ProductAdmin.productNotFound(productId)))
                .flatMap(written -> written.map(Mono::just).orElseGet(() -> left > 1 ? write(productId, status, left - 1)
                        : Mono.error(ApiException.conflict("product_changed",
                                "product '" + productId + "' kept changing while its status was set; retry"))));
    }

    /** Every task of the product not yet stopped (created, running, paused): a stopped one is final. */
    private Mono<Void> stopTasks(String productId) {
        return tasks.newestFirst(productId)
                .flatMapIterable(list -> list)
                .filter(t -> t.status() != TaskStatus.STOPPED)
                .concatMap(t -> tasks.control(t, TaskRepository.Action.STOP, null)
                        // Stopped (or gone) meanwhile by someone else: what we wanted.
                        .onErrorResume(e -> e instanceof ApiException api && (api.status() == 409 || api.status() == 404), e -> Mono.empty()))
                .then();
    }
}
