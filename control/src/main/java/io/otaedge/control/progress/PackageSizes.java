package io.otaedge.control.progress;

import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.catalog.FirmwareRepository;
import java.util.Collection;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The size of the package a device was handed, which its download share is of: the task's own firmware, or
 * the package its row names (a differential one, per source version); the task's firmware size when that
 * package is gone.
 */
public final class PackageSizes {

    private final FirmwareRepository firmwares;

    public PackageSizes(FirmwareRepository firmwares) {
        this.firmwares = firmwares;
    }

    /** One package's size ({@code packageId} null: the task's firmware). */
    public Mono<Long> of(String productId, String packageId, Firmware taskFirmware) {
        return packageId == null || packageId.equals(taskFirmware.id()) ? Mono.just(taskFirmware.size())
                : firmwares.find(productId, packageId).map(Firmware::size).defaultIfEmpty(taskFirmware.size());
    }

    /** The sizes of the packages the rows name other than the task's firmware, each read once; see {@link #sizeOf}. */
    public Mono<Map<String, Long>> of(String productId, Collection<Map<String, String>> rows, Firmware taskFirmware) {
        return Flux.fromIterable(rows)
                .mapNotNull(row -> row.get("packageId"))
                .filter(id -> !id.equals(taskFirmware.id()))
                .distinct()
                .concatMap(id -> of(productId, id, taskFirmware).map(size -> Map.entry(id, size)))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    /** The size of the package a row names, from sizes read by {@link #of(String, Collection, Firmware)}. */
    public static long sizeOf(Map<String, String> row, Map<String, Long> sizes, Firmware taskFirmware) {
        String id = row.get("packageId");
        return id == null ? taskFirmware.size() : sizes.getOrDefault(id, taskFirmware.size());
    }
}
