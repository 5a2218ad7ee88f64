package io.otaedge.control.admin;

import io.otaedge.control.catalog.Names;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.progress.DeviceProgress;
import io.otaedge.control.progress.DeviceProgressService;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * The product's devices ({@link DeviceList}) and {@code GET /admin/v1/products/{productId}/devices/{deviceId}}: what the device last reported, and
 * its history: every task it was offered, newest first, with its state there.
 */
public final class DeviceAdmin {

    private final DeviceRepository devices;
    private final DeviceProgressService progress;
    private final DeviceList listing;

    public DeviceAdmin(DeviceRepository devices, DeviceProgressService progress, ProductRepository products) {
        this.devices = devices;
        this.progress = progress;
        this.listing = new DeviceList(products, devices);
    }

    /** {@code GET /admin/v1/products/{productId}/devices}: see {@link DeviceList}. */
    Mono<AdminReply> list(HttpServerRequest request) {
        return listing.list(request);
    }

    Mono<AdminReply> get(HttpServerRequest request) {
        String productId = request.param("productId");
        String deviceId = request.param("deviceId");
        if (!Names.isProductId(productId) || !Names.isDeviceId(deviceId)) {
            return Mono.error(notFound(productId, deviceId));
        }
        return devices.find(productId, deviceId)
                .zipWith(progress.history(productId, deviceId).map(DeviceAdmin::historyRow).collectList())
                .map(found -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("productId", productId);
                    body.put("deviceId", deviceId);
                    found.getT1().forEach((k, v) -> body.put(k, k.endsWith("At") ? iso(v) : v));
                    body.put("tasks", found.getT2());
                    return AdminReply.ok(body);
                })
                .switchIfEmpty(Mono.error(() -> notFound(productId, deviceId)));
    }

    private static Map<String, Object> historyRow(DeviceProgress p) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("taskId", p.taskId());
        row.put("type", p.type());
        row.put("module", p.module());
        row.put("fromVersion", p.fromVersion());
        row.put("targetVersion", p.targetVersion());
        row.put("state", p.state());
        row.put("step", p.step());
        row.put("desc", p.desc());
        row.put("packageId", p.packageId());
        row.put("packageType", p.packageType());
        row.put("attempts", p.attempts());
        row.put("stage", p.stage());
        row.put("offeredAt", iso(p.offeredAt()));
        row.put("stateSince", iso(p.stateSince()));
        row.put("updatedAt", iso(p.updatedAt()));
        row.put("timedOut", p.timedOut());
        return row;
    }

    private static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    /** A stored epoch-ms time as ISO-8601; the stored text as it is when it is not a number. */
    static String iso(String millis) {
        try {
            return iso(Long.parseLong(millis));
        } catch (NumberFormatException e) {
            return millis;
        }
    }

    private static ApiException notFound(String productId, String deviceId) {
        return ApiException.notFound("device_not_found", "no device '" + deviceId + "' in product '" + productId + "'");
    }
}
