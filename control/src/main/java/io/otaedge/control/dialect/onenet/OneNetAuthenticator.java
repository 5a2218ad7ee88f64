package io.otaedge.control.dialect.onenet;

import io.otaedge.control.catalog.Product;
import io.otaedge.control.catalog.ProductRepository;
import java.time.Clock;
import reactor.core.publisher.Mono;

/**
 * Every OneNET call's first step: the {@code Authorization} header must be OneNET's token, unexpired
 * and signed with the key of the product its {@code res} names, or, when {@code res} names a device,
 * with that device's own key ({@link OneNetDeviceKey}). Empty means errno 1.
 */
public final class OneNetAuthenticator {

    private final ProductRepository products;
    private final Clock clock;

    public OneNetAuthenticator(ProductRepository products, Clock clock) {
        this.products = products;
        this.clock = clock;
    }

    /** The product the header authenticates; empty when it does not. */
    public Mono<Product> authenticate(String authorization) {
        return OneNetAuthorization.parse(authorization)
                .map(auth -> products.findCached(auth.productId())
                        .filter(p -> {
                            long now = clock.millis() / 1000;
                            return OneNetAuthorization.verify(auth, p.accessKey(), now) || auth.deviceName() != null
                                    && OneNetAuthorization.verify(auth, OneNetDeviceKey.of(p.accessKey(), auth.deviceName()), now);
                        }))
                .orElse(Mono.empty());
    }
}
