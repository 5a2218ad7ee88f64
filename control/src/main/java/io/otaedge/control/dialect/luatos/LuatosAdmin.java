package io.otaedge.control.dialect.luatos;

import io.otaedge.control.admin.AdminReply;
import io.otaedge.control.admin.DialectAdmin;
import io.otaedge.control.catalog.ProductRepository;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerRoutes;

/** {@code GET /admin/v1/products/{productId}/luatos-key}: the {@code project_key} to build into a product's devices. */
final class LuatosAdmin implements DialectAdmin {

    private final ProductRepository products;

    LuatosAdmin(ProductRepository products) {
        this.products = products;
    }

    @Override
    public void register(HttpServerRoutes routes, Guard reading, Guard secured) {
        routes.get("/admin/v1/products/{productId}/luatos-key", secured.apply(this::key));
    }

    private Mono<AdminReply> key(HttpServerRequest request) {
        String productId = request.param("productId");
        return DialectAdmin.product(products, productId)
                .map(p -> AdminReply.ok(Map.of("productId", productId,
                        "projectKey", LuatosDecisionHandler.projectKey(p.accessKey(), productId))));
    }
}
