package io.otaedge.control.admin;

import io.otaedge.control.catalog.Names;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.http.ApiException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/** {@code GET /admin/v1/products/{productId}/devices/{deviceId}}: what the device last reported. */
public final class DeviceAdmin {

    private final DeviceRepository devices;

    public DeviceAdmin(DeviceRepository devices) {
        this.devices = devices;
    }

    Mono<AdminReply> get(HttpServerRequest request) {
        String productId = request.param("productId");
        String deviceId = request.param("deviceId");
        if (!Names.isProductId(productId) || !Names.isDeviceId(deviceId)) {
            return Mono.error(notFound(productId, deviceId));
        }
        return devices.find(productId, deviceId).map(fields -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("productId", productId);
            body.put("deviceId", deviceId);
            body.putAll(fields);
            body.computeIfPresent("lastCheckAt", (k, v) -> Instant.ofEpochMilli(Long.parseLong((String) v)).toString());
            return AdminReply.ok(body);
        }).switchIfEmpty(Mono.error(() -> notFound(productId, deviceId)));
    }

    private static ApiException notFound(String productId, String deviceId) {
        return ApiException.notFound("device_not_found", "no device '" + deviceId + "' in product '" + productId + "'");
    }
}
