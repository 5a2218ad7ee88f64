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

    /** {@code GET /admin/v1/products}: the products by id, a page at a time, without their access keys (fetch one for that). */
    Mono<AdminReply> list(HttpServerRequest request) {
        Paging.Request page = Paging.request(AdminRequests.query(request));
        return products.ids().flatMap(ids -> {
            Paging.Page<String> p = Paging.of(ids, id -> id, page);
            return products.all(p.items()).map(list -> AdminReply.ok(new Paging.Page<>(list.stream()
                    .map(x -> java.util.Map.of("productId", x.productId(), "name", x.name(), "createdAt", x.createdAt()))
                    .toList(), p.nextCursor())));
        });
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
