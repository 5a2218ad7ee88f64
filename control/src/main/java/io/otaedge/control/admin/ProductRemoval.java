package io.otaedge.control.admin;

import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.catalog.Product;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.task.TaskRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Deletes a product only when it holds nothing: no device in its index, then (in one script with the delete) no
 * firmware and no task, so an upload or task create racing the delete either counts or finds no product. A product
 * that holds anything is refused (409 {@code product_not_empty}, naming what it holds): one call never wipes a
 * fleet's data; archiving is the way to retire it. The dialects' own keys for the product go with it.
 *
 * <p>Devices live in 64 bucket slots, so they are counted before the script, not in it: a device whose first check
 * lands between the count and the delete is recorded under an id that no longer names a product (its record stays
 * and reappears should the id be created again; nothing is lost).
 */
final class ProductRemoval {

    private final ProductRepository products;
    private final FirmwareRepository firmwares;
    private final TaskRepository tasks;
    private final DeviceRepository devices;
    private final Function<Product, List<String>> dialectKeys;

    ProductRemoval(ProductRepository products, FirmwareRepository firmwares, TaskRepository tasks, DeviceRepository devices,
                   Function<Product, List<String>> dialectKeys) {
        this.products = products;
        this.firmwares = firmwares;
        this.tasks = tasks;
        this.devices = devices;
        this.dialectKeys = dialectKeys;
    }

    Mono<Void> remove(String productId) {
        return products.find(productId)
                .switchIfEmpty(Mono.error(() -> ProductAdmin.productNotFound(productId)))
                .flatMap(p -> devices.indexedCount(productId).flatMap(n -> n > 0 ? refuse(productId, n) : delete(p)));
    }

    private Mono<Void> delete(Product p) {
        String tag = io.otaedge.common.redis.RedisKeys.productTag(p.productId()) + ":";
        List<String> own = dialectKeys.apply(p);
        List<String> inTag = own.stream().filter(k -> k.startsWith(tag)).toList();
        List<String> elsewhere = own.stream().filter(k -> !k.startsWith(tag)).toList();
        List<String> catalog = new ArrayList<>(inTag);
        catalog.add(io.otaedge.control.redis.ControlKeys.firmwareVersions(p.productId()));
        catalog.add(io.otaedge.control.redis.ControlKeys.firmwareStatus(p.productId()));
        return products.deleteIfEmpty(p.productId(), catalog).flatMap(d -> {
            if (!d.found()) {
                return Mono.error(ProductAdmin.productNotFound(p.productId()));
            }
            if (!d.deleted()) {
                return Mono.error(notEmpty(p.productId(), d.firmwares(), d.tasks(), 0));
            }
            return products.deleteOutsideTag(elsewhere);
        });
    }

    /** Devices are there: the firmware and task counts read for the message only (nothing is deleted). */
    private Mono<Void> refuse(String productId, long deviceCount) {
        return Mono.zip(firmwares.list(productId).count(), tasks.idsOldestFirst(productId).map(List::size))
                .flatMap(n -> Mono.error(notEmpty(productId, n.getT1(), n.getT2(), deviceCount)));
    }

    static ApiException notEmpty(String productId, long firmwareCount, long taskCount, long deviceCount) {
        List<String> held = new ArrayList<>();
        if (firmwareCount > 0) {
            held.add(firmwareCount + " firmware(s)");
        }
        if (taskCount > 0) {
            held.add(taskCount + " task(s)");
        }
        if (deviceCount > 0) {
            held.add(deviceCount + " device(s)");
        }
        return ApiException.conflict("product_not_empty", "product '" + productId + "' still holds " + String.join(", ", held)
                + "; a product is deleted only when empty. Archive it instead (PATCH /admin/v1/products/" + productId
                + " {\"status\":\"archived\"}): it keeps its data and its devices get no upgrade");
    }
}
