package io.otaedge.control.dialect.aliyun;

import io.otaedge.control.admin.AdminReply;
import io.otaedge.control.admin.DialectAdmin;
import io.otaedge.control.catalog.Names;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.http.ApiException;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * {@code GET /admin/v1/products/{productId}/aliyun-token[?deviceName=…]}: the product's {@code iotToken}
 * for Aliyun Living calls, and the {@code iotId} of a device when one is named.
 */
public final class AliyunAdmin implements DialectAdmin {

    private final ProductRepository products;

    public AliyunAdmin(ProductRepository products) {
        this.products = products;
    }

    @Override
    public void register(HttpServerRoutes routes, Guard reading, Guard secured) {
        routes.get("/admin/v1/products/{productId}/aliyun-token", secured.apply(this::token));
    }

    private Mono<AdminReply> token(HttpServerRequest request) {
        String productId = request.param("productId");
        String deviceName = new io.netty.handler.codec.http.QueryStringDecoder(request.uri()).parameters()
                .getOrDefault("deviceName", java.util.List.of()).stream().findFirst().orElse(null);
        if (deviceName != null && !Names.isDeviceId(deviceName)) {
            return Mono.error(ApiException.badRequest("deviceName must match [A-Za-z0-9_.:-]{1,64}"));
        }
        return DialectAdmin.product(products, productId)
                .map(p -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("productKey", productId);
                    body.put("iotToken", AliyunIdentity.iotToken(p.accessKey(), productId));
                    if (deviceName != null) {
                        body.put("deviceName", deviceName);
                        body.put("iotId", new AliyunIdentity(productId, deviceName).iotId());
                    }
                    return AdminReply.ok(body);
                });
    }
}
