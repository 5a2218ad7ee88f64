package io.otaedge.control.dialect.xiaozhi;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.admin.AdminReply;
import io.otaedge.control.admin.AdminRequests;
import io.otaedge.control.admin.DialectAdmin;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.http.StrictBody;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * Operator endpoints for xiaozhi: the product's configuration ({@code PUT|GET …/xiaozhi}; blocks checked by
 * {@link XiaozhiBlocks}, a missing {@code websocket} means the deployment's {@link XiaozhiDefaults}), entering a
 * device's activation code ({@code POST …/xiaozhi/activations/{code}}) and a serial number's efuse key
 * for provisioning ({@code GET …/xiaozhi/serials/{serial}/key}).
 */
public final class XiaozhiAdmin implements DialectAdmin {

    private static final String BASE = "/admin/v1/products/{productId}/xiaozhi";

    private final ProductRepository products;
    private final XiaozhiStore store;
    private final int maxBody;

    public XiaozhiAdmin(ProductRepository products, XiaozhiStore store, int maxBody) {
        this.products = products;
        this.store = store;
        this.maxBody = maxBody;
    }

    @Override
    public void register(HttpServerRoutes routes, Guard reading, Guard secured) {
        routes.put(BASE, reading.apply(this::putConfig))
                .get(BASE, secured.apply(this::getConfig))
                .post(BASE + "/activations/{code}", secured.apply(this::bind))
                .get(BASE + "/serials/{serial}/key", secured.apply(this::serialKey));
    }

    private Mono<AdminReply> putConfig(HttpServerRequest request) {
        String productId = request.param("productId");
        return RequestBodies.readObject(request, maxBody, false).map(StrictBody::of).flatMap(body -> {
            XiaozhiConfig config = new XiaozhiConfig(block(body, "websocket"), block(body, "mqtt"),
                    zone(AdminRequests.optionalText(body, "timeZone")), AdminRequests.optionalText(body, "activationUrl"),
                    timeout(body));
            body.refuseUnread();
            return product(productId).then(store.saveConfig(productId, config)).thenReturn(AdminReply.ok(config));
        });
    }

    private Mono<AdminReply> getConfig(HttpServerRequest request) {
        String productId = request.param("productId");
        return product(productId).then(store.config(productId)).map(AdminReply::ok);
    }

    private Mono<AdminReply> bind(HttpServerRequest request) {
        String productId = request.param("productId");
        String code = request.param("code");
        if (code == null || !code.matches("[0-9]{6}")) {
            return Mono.error(ApiException.badRequest("an activation code is 6 digits"));
        }
        return product(productId).then(store.bind(productId, code))
                .map(deviceId -> AdminReply.ok(Map.of("deviceId", deviceId, "code", code)))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("activation_not_found",
                        "no pending activation with code " + code + " in product '" + productId + "'")));
    }

    private Mono<AdminReply> serialKey(HttpServerRequest request) {
        String productId = request.param("productId");
        String serial = request.param("serial");
        return DialectAdmin.product(products, productId)
                .map(p -> AdminReply.ok(Map.of("serialNumber", serial, "key", SerialKeys.keyHex(p.accessKey(), serial))));
    }

    private Mono<Void> product(String productId) {
        return DialectAdmin.product(products, productId).then();
    }

    private static JsonNode block(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw ApiException.badRequest(field + " must be an object");
        }
        return XiaozhiBlocks.validate(field, n);
    }

    private static Integer timeout(JsonNode body) {
        JsonNode n = body.get("activationTimeoutMs");
        return n == null || n.isNull() ? null
                : AdminRequests.optionalInt(body, "activationTimeoutMs", XiaozhiConfig.DEFAULT_ACTIVATION_TIMEOUT_MS,
                        1, (int) XiaozhiStore.CODE_LIFETIME.toMillis());
    }

    private static String zone(String zone) {
        if (zone == null) {
            return XiaozhiConfig.DEFAULT_TIME_ZONE;
        }
        try {
            return ZoneId.of(zone).getId();
        } catch (DateTimeException e) {
            throw ApiException.badRequest("timeZone must be an IANA zone such as Asia/Shanghai");
        }
    }

    @Override
    public java.util.List<String> productKeys(io.otaedge.control.catalog.Product product) {
        return XiaozhiStore.productKeys(product.productId());
    }
}
