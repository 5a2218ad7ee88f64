package io.otaedge.control.dialect.aliyun;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.catalog.Names;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.dialect.Hmacs;
import reactor.core.publisher.Mono;

/**
 * Judges a call's {@code iotToken} before any of its parameters, as Aliyun does: a call is {@code 403 request
 * forbidden.} unless its token is the iotToken of the product its identity names. The identity is read
 * leniently here (an iotId that is not ours, a malformed or unknown productKey, no identity at all all name no
 * product), so a caller without the product's token learns nothing about its parameters; their strict checks
 * (460) come after.
 */
final class AliyunAuth {

    private final ProductRepository products;

    AliyunAuth(ProductRepository products) {
        this.products = products;
    }

    /** The product key the token opens for {@code identity} (params or a confirm list's device); 403 otherwise. */
    Mono<String> product(String iotToken, JsonNode identity) {
        String productKey = claimedProduct(identity);
        if (iotToken == null || iotToken.isEmpty() || productKey == null) {
            return Mono.error(AliyunReply::forbidden);
        }
        return products.findCached(productKey)
                .filter(p -> Hmacs.hexEquals(AliyunIdentity.iotToken(p.accessKey(), productKey), iotToken))
                .map(p -> productKey)
                .switchIfEmpty(Mono.error(AliyunReply::forbidden));
    }

    /** The product an identity names (the iotId's when one is given, as the seed says), or null. */
    static String claimedProduct(JsonNode identity) {
        if (identity == null) {
            return null;
        }
        if (identity.isTextual()) {
            return ofIotId(identity.asText());
        }
        if (!identity.isObject()) {
            return null;
        }
        JsonNode iotId = identity.get("iotId");
        if (iotId != null && iotId.isTextual() && !iotId.asText().isEmpty()) {
            return ofIotId(iotId.asText());
        }
        JsonNode productKey = identity.get("productKey");
        return productKey != null && productKey.isTextual() && Names.isProductId(productKey.asText()) ? productKey.asText() : null;
    }

    private static String ofIotId(String iotId) {
        AliyunIdentity id = AliyunIdentity.ofIotId(iotId);
        return id == null ? null : id.productKey();
    }
}
