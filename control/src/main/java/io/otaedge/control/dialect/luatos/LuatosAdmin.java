package io.otaedge.control.dialect.luatos;

import io.otaedge.common.luatos.LuatosDecisionApi;
import io.otaedge.control.admin.AdminReply;
import io.otaedge.control.admin.DialectAdmin;
import io.otaedge.control.catalog.ProductRepository;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * LuatOS on the operator port: {@code GET /admin/v1/products/{productId}/luatos-key} (the
 * {@code project_key} to build into devices) and, when {@code OTA_INTERNAL_SECRET} is set, the edge's
 * internal decision endpoint (guarded by that secret instead of the admin key).
 */
public final class LuatosAdmin implements DialectAdmin {

    private final ProductRepository products;
    private final LuatosDecisionHandler decisions;

    /** {@code decisions} null = the internal endpoint is off. */
    public LuatosAdmin(ProductRepository products, LuatosDecisionHandler decisions) {
        this.products = products;
        this.decisions = decisions;
    }

    @Override
    public void register(HttpServerRoutes routes, Guard reading, Guard secured) {
        routes.get("/admin/v1/products/{productId}/luatos-key", secured.apply(this::key));
        if (decisions != null) {
            routes.get(LuatosDecisionApi.PATH, decisions::handle);
        }
    }

    private Mono<AdminReply> key(HttpServerRequest request) {
        String productId = request.param("productId");
        return DialectAdmin.product(products, productId)
                .map(p -> AdminReply.ok(Map.of("productId", productId,
                        "projectKey", LuatosDecisionHandler.projectKey(p.accessKey(), productId))));
    }
}
