package io.otaedge.control.admin;

import io.otaedge.control.catalog.Product;
import io.otaedge.control.catalog.ProductRepository;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * A dialect's operator endpoints, plugged into {@link AdminRoutes#with}. {@code reading} wraps a handler
 * that reads the body itself, {@code secured} one that does not; both check the admin key first.
 */
public interface DialectAdmin {

    void register(HttpServerRoutes routes, Guard reading, Guard secured);

    /**
     * The keys this dialect keeps for {@code product} (settings, sequences, token indexes), deleted with it: those in
     * the product's tag in the delete's own script, any other right after. None by default.
     */
    default java.util.List<String> productKeys(Product product) {
        return java.util.List.of();
    }

    /** The product named in the path, or the admin API's 404. */
    static Mono<Product> product(ProductRepository products, String productId) {
        return products.find(productId).switchIfEmpty(Mono.error(() -> ProductAdmin.productNotFound(productId)));
    }

    /** Wraps an admin handler with the key check and the JSON error mapping. */
    interface Guard extends Function<AdminHandler, BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>>> {
    }
}
