package io.otaedge.control.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.catalog.Names;
import io.otaedge.control.catalog.Product;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.http.StrictBody;
import io.otaedge.control.task.TaskRepository;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * {@code POST /admin/v1/products}, {@code GET /admin/v1/products}, {@code GET}, {@code PATCH} (archive, unarchive)
 * and {@code DELETE /admin/v1/products/{productId}}.
 */
public final class ProductAdmin {

    private final ProductRepository products;
    private final int maxBody;
    private ProductArchive archive;
    private ProductRemoval removal;

    public ProductAdmin(ProductRepository products, int maxBody) {
        this.products = products;
        this.maxBody = maxBody;
    }

    /**
     * Enables archiving ({@code PATCH}: it stops the product's tasks) and deleting ({@code DELETE}: only an empty
     * product; {@code dialects}' own keys of the product go with it).
     */
    public ProductAdmin managing(FirmwareRepository firmwares, TaskRepository tasks, DeviceRepository devices,
                                 List<DialectAdmin> dialects) {
        this.archive = new ProductArchive(products, tasks);
        this.removal = new ProductRemoval(products, firmwares, tasks, devices,
                p -> dialects.stream().flatMap(d -> d.productKeys(p).stream()).toList());
        return this;
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

    /**
     * {@code GET /admin/v1/products}: the products by id, a page at a time, without their access keys (fetch one for
     * that); {@code ?status=active} (the default), {@code archived} or {@code all}.
     */
    Mono<AdminReply> list(HttpServerRequest request) {
        Map<String, String> q = AdminRequests.query(request);
        Paging.Request page = Paging.request(q);
        String status = q.getOrDefault("status", Product.ACTIVE);
        if (!List.of(Product.ACTIVE, Product.ARCHIVED, "all").contains(status)) {
            throw ApiException.badRequest("status must be active, archived or all");
        }
        // Products are few: their records are read to filter by status, then paged.
        return products.all().map(all -> {
            List<Product> shown = all.stream().filter(p -> "all".equals(status) || status.equals(p.status())).toList();
            Paging.Page<Product> p = Paging.of(shown, Product::productId, page);
            return AdminReply.ok(new Paging.Page<>(p.items().stream().map(ProductAdmin::summary).toList(), p.nextCursor()));
        });
    }

    private static Map<String, Object> summary(Product p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("productId", p.productId());
        m.put("name", p.name());
        m.put("createdAt", p.createdAt());
        m.put("status", p.status());
        return m;
    }

    Mono<AdminReply> get(HttpServerRequest request) {
        String productId = request.param("productId");
        return products.find(productId)
                .map(AdminReply::ok)
                .switchIfEmpty(Mono.error(() -> productNotFound(productId)));
    }

    /** {@code PATCH /admin/v1/products/{productId}} with {@code {"status":"archived"|"active"}}: the product as it is now. */
    Mono<AdminReply> update(HttpServerRequest request) {
        String productId = AdminRequests.lastSegment(request);
        return RequestBodies.readObject(request, maxBody, false).map(StrictBody::of).flatMap(body -> {
            String status = AdminRequests.requiredText(body, "status");
            if (!Product.ACTIVE.equals(status) && !Product.ARCHIVED.equals(status)) {
                throw ApiException.badRequest("status must be active or archived");
            }
            body.refuseUnread();
            return archive.set(productId, status).map(AdminReply::ok);
        });
    }

    /** {@code DELETE /admin/v1/products/{productId}}: 204, only for a product that holds nothing. */
    Mono<AdminReply> delete(HttpServerRequest request) {
        return removal.remove(request.param("productId")).thenReturn(AdminReply.noContent());
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
