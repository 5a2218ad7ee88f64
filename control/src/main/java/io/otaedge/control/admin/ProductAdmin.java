package io.otaedge.control.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.catalog.Names;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.http.StrictBody;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/** {@code POST /admin/v1/products}, {@code GET /admin/v1/products} and {@code GET /admin/v1/products/{productId}}. */
public final class ProductAdmin {

    private final ProductRepository products;
    private final int maxBody;

    public ProductAdmin(ProductRepository products, int maxBody) {
        this.products = products;
        this.maxBody = maxBody;
    }

    Mono<AdminReply> create(HttpServerRequest request) {
        return RequestBodies.readObject(request, maxBody, false).map(StrictBody::of).flatMap(body -> {
            String productId = AdminRequests.requiredText(body, "productId");
            if (!Names.isProductId(productId)) {
                throw ApiException.badRequest("productId must match [A-Za-z0-9_.-]{1,64}");
            }
            String name = name(body);
            body.refuseUnread();
            return products.create(productId, name)
                    .map(AdminReply::created)
                    .switchIfEmpty(Mono.error(() -> ApiException.conflict("product_exists", "product '" + productId + "' already exists")));
        });
    }

    /** {@code GET /admin/v1/products}: every product without its access key (fetch one product for that). */
    Mono<AdminReply> list(HttpServerRequest request) {
        return products.all().map(list -> AdminReply.ok(java.util.Map.of("products", list.stream()
                .map(p -> java.util.Map.of("productId", p.productId(), "name", p.name(), "createdAt", p.createdAt()))
                .toList())));
    }

    Mono<AdminReply> get(HttpServerRequest request) {
        String productId = request.param("productId");
        return products.find(productId)
                .map(AdminReply::ok)
                .switchIfEmpty(Mono.error(() -> productNotFound(productId)));
    }

    public static ApiException productNotFound(String productId) {
        return ApiException.notFound("product_not_found", "no product '" + productId + "'");
    }

    private static String name(JsonNode body) {
        String name = AdminRequests.requiredText(body, "name");
        if (name.length() > 256) {
            throw ApiException.badRequest("name must be at most 256 characters");
        }
        return name;
    }
}
