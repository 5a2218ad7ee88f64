package io.otaedge.control.dialect.hawkbit;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.admin.AdminReply;
import io.otaedge.control.admin.AdminRequests;
import io.otaedge.control.admin.DialectAdmin;
import io.otaedge.control.catalog.Names;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.http.StrictBody;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * Operator endpoints for the DDI dialect: a product's settings ({@code GET|PUT …/hawkbit}: polling sleep, which
 * token modes are on, the links' base URL), its gateway token and a device's target token ({@code POST} issues a
 * new one, shown once and stored only as its hash; {@code DELETE} revokes it).
 */
public final class HawkbitAdmin implements DialectAdmin {

    private static final String BASE = "/admin/v1/products/{productId}/hawkbit";

    private final ProductRepository products;
    private final HawkbitStore store;
    private final int maxBody;

    HawkbitAdmin(ProductRepository products, HawkbitStore store, int maxBody) {
        this.products = products;
        this.store = store;
        this.maxBody = maxBody;
    }

    @Override
    public void register(HttpServerRoutes routes, Guard reading, Guard secured) {
        routes.get(BASE, secured.apply(this::getSettings))
                .put(BASE, reading.apply(this::putSettings))
                .post(BASE + "/gateway-token", secured.apply(this::issueGatewayToken))
                .delete(BASE + "/gateway-token", secured.apply(this::revokeGatewayToken))
                .post(BASE + "/devices/{deviceId}/target-token", secured.apply(this::issueTargetToken))
                .delete(BASE + "/devices/{deviceId}/target-token", secured.apply(this::revokeTargetToken));
    }

    private Mono<AdminReply> getSettings(HttpServerRequest request) {
        String productId = request.param("productId");
        return product(productId).then(Mono.zip(store.settings(productId), store.gatewayTokenHash(productId).hasElement()))
                .map(t -> AdminReply.ok(view(t.getT1(), t.getT2())));
    }

    private Mono<AdminReply> putSettings(HttpServerRequest request) {
        String productId = request.param("productId");
        return RequestBodies.readObject(request, maxBody, false).map(StrictBody::of).flatMap(body -> {
            HawkbitSettings settings = new HawkbitSettings(AdminRequests.optionalText(body, "pollingSleep"),
                    bool(body, "targetTokenAuth"), bool(body, "gatewayTokenAuth"), AdminRequests.optionalText(body, "baseUrl"));
            body.refuseUnread();
            String problem = settings.problem();
            if (problem != null) {
                return Mono.error(ApiException.badRequest(problem));
            }
            return product(productId).then(store.saveSettings(productId, settings))
                    .then(store.gatewayTokenHash(productId).hasElement())
                    .map(issued -> AdminReply.ok(view(settings, issued)));
        });
    }

    private Mono<AdminReply> issueGatewayToken(HttpServerRequest request) {
        String productId = request.param("productId");
        String token = HawkbitTokens.generate();
        return product(productId).then(store.setGatewayTokenHash(productId, HawkbitTokens.hash(token)))
                .thenReturn(AdminReply.created(Map.of("tenant", productId, "gatewayToken", token)));
    }

    private Mono<AdminReply> revokeGatewayToken(HttpServerRequest request) {
        String productId = request.param("productId");
        return product(productId).then(store.deleteGatewayToken(productId)).flatMap(deleted -> revoked(deleted, "gateway token"));
    }

    private Mono<AdminReply> issueTargetToken(HttpServerRequest request) {
        return Mono.defer(() -> issueTargetToken(request.param("productId"), deviceId(request)));
    }

    private Mono<AdminReply> issueTargetToken(String productId, String deviceId) {
        String token = HawkbitTokens.generate();
        return product(productId).then(store.setTargetTokenHash(productId, deviceId, HawkbitTokens.hash(token)))
                .thenReturn(AdminReply.created(Map.of("tenant", productId, "controllerId", deviceId, "targetToken", token)));
    }

    private Mono<AdminReply> revokeTargetToken(HttpServerRequest request) {
        String productId = request.param("productId");
        return Mono.defer(() -> {
            String deviceId = deviceId(request);
            return product(productId).then(store.deleteTargetToken(productId, deviceId))
                    .flatMap(deleted -> revoked(deleted, "target token of '" + deviceId + "'"));
        });
    }

    private static Mono<AdminReply> revoked(boolean deleted, String what) {
        return deleted ? Mono.just(AdminReply.noContent()) : Mono.error(ApiException.notFound("token_not_found", "no " + what + " to revoke"));
    }

    private static String deviceId(HttpServerRequest request) {
        String deviceId = request.param("deviceId");
        if (!Names.isDeviceId(deviceId)) {
            throw ApiException.badRequest("deviceId must match [A-Za-z0-9_.:-]{1,64}");
        }
        return deviceId;
    }

    private Mono<Void> product(String productId) {
        return DialectAdmin.product(products, productId).then();
    }

    private static Map<String, Object> view(HawkbitSettings s, boolean gatewayTokenIssued) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pollingSleep", s.pollingSleep());
        m.put("targetTokenAuth", s.targetTokenAuth());
        m.put("gatewayTokenAuth", s.gatewayTokenAuth());
        if (s.baseUrl() != null) {
            m.put("baseUrl", s.baseUrl());
        }
        m.put("gatewayTokenIssued", gatewayTokenIssued);
        return m;
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw ApiException.badRequest(field + " must be true or false");
        }
        return n.asBoolean();
    }

    @Override
    public java.util.List<String> productKeys(io.otaedge.control.catalog.Product product) {
        return HawkbitStore.productKeys(product.productId());
    }
}
