package io.otaedge.control.dialect.fog;

import io.otaedge.control.dialect.Hmacs;
import java.util.Locale;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/**
 * FOG's {@code Authorization: token <40 hex>}. A product's token is derived from its access key,
 * {@code hex(HMAC-SHA1(base64decode(accessKey), "fog:" + productId))} (40 hex digits like the seed's),
 * and indexed when the operator fetches it, so a call that names no product (the version report)
 * still finds its product. A token works only for its own product.
 */
public final class FogAuth {

    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{40}");
    private static final String PREFIX = "token ";

    private final FogStore store;

    public FogAuth(FogStore store) {
        this.store = store;
    }

    public static String token(String accessKeyBase64, String productId) {
        return Hmacs.productCredential("HmacSHA1", accessKeyBase64, "fog:" + productId);
    }

    /** The product the header's token belongs to; fails with {@link FogReply#UNAUTHORIZED} otherwise. */
    public Mono<String> product(String header) {
        if (header == null || header.length() <= PREFIX.length() || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Mono.error(unauthorized());
        }
        String token = header.substring(PREFIX.length()).trim().toLowerCase(Locale.ROOT);
        if (!TOKEN.matcher(token).matches()) {
            return Mono.error(unauthorized());
        }
        return store.productOfToken(token).switchIfEmpty(Mono.error(FogAuth::unauthorized));
    }

    /** As {@link #product(String)}, and the product must be {@code productId}. */
    public Mono<String> product(String header, String productId) {
        return product(header).flatMap(p -> p.equals(productId) ? Mono.just(p) : Mono.error(unauthorized()));
    }

    static FogReply.Failure unauthorized() {
        return new FogReply.Failure(FogReply.UNAUTHORIZED, "authentication failed: send 'Authorization: token <product token>'");
    }
}
