package io.otaedge.control.dialect.hawkbit;

import reactor.core.publisher.Mono;

/**
 * Judges a DDI call's {@code Authorization} header, as hawkBit does: {@code TargetToken <token>} opens the one
 * device the token was issued to, {@code GatewayToken <token>} every device of the product, each only while the
 * product has that mode enabled. Anything else, an unknown tenant included, is 401: a caller without a token
 * learns nothing about which tenants or devices exist.
 */
final class HawkbitAuth {

    static final String TARGET = "TargetToken";
    static final String GATEWAY = "GatewayToken";

    private final HawkbitStore store;

    HawkbitAuth(HawkbitStore store) {
        this.store = store;
    }

    /** Completes empty when the call may go on; fails with 401 otherwise. {@code deviceId} null: no target token can match. */
    Mono<Void> check(HawkbitSettings settings, String productId, String deviceId, String authorization) {
        String scheme = scheme(authorization);
        String token = scheme == null ? null : authorization.substring(scheme.length()).trim();
        Mono<String> stored;
        if (TARGET.equals(scheme) && settings.targetTokenAuth() && deviceId != null) {
            stored = store.targetTokenHash(productId, deviceId);
        } else if (GATEWAY.equals(scheme) && settings.gatewayTokenAuth()) {
            stored = store.gatewayTokenHash(productId);
        } else {
            return Mono.error(HawkbitError.unauthorized());
        }
        return stored.filter(hash -> HawkbitTokens.matches(hash, token))
                .switchIfEmpty(Mono.error(HawkbitError::unauthorized))
                .then();
    }

    /** {@code TargetToken} or {@code GatewayToken} (case-insensitive, as HTTP auth schemes are), else null. */
    static String scheme(String authorization) {
        if (authorization == null) {
            return null;
        }
        for (String s : new String[] {TARGET, GATEWAY}) {
            if (authorization.regionMatches(true, 0, s, 0, s.length()) && authorization.length() > s.length()
                    && authorization.charAt(s.length()) == ' ') {
                return s;
            }
        }
        return null;
    }
}
