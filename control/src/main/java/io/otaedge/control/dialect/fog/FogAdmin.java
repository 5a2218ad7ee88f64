package io.otaedge.control.dialect.fog;

import io.otaedge.control.admin.AdminReply;
import io.otaedge.control.admin.DialectAdmin;
import io.otaedge.control.catalog.ProductRepository;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerRoutes;

/** {@code POST /admin/v1/products/{productId}/fog-token}: the product's FOG token (stable), indexed for lookups. */
public final class FogAdmin implements DialectAdmin {

    private final ProductRepository products;
    private final FogStore store;

    public FogAdmin(ProductRepository products, FogStore store) {
        this.products = products;
        this.store = store;
    }

    @Override
    public void register(HttpServerRoutes routes, Guard reading, Guard secured) {
        routes.post("/admin/v1/products/{productId}/fog-token", secured.apply(this::token));
    }

    private Mono<AdminReply> token(HttpServerRequest request) {
        String productId = request.param("productId");
        return DialectAdmin.product(products, productId)
                .flatMap(p -> {
                    String token = FogAuth.token(p.accessKey(), productId);
                    return store.indexToken(token, productId)
                            .thenReturn(AdminReply.ok(Map.of("token", token, "authorization", "token " + token)));
                });
    }

    @Override
    public java.util.List<String> productKeys(io.otaedge.control.catalog.Product product) {
        return FogStore.productKeys(product.productId(), FogAuth.token(product.accessKey(), product.productId()));
    }
}
