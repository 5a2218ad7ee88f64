package io.otaedge.control.admin;

import io.otaedge.control.auth.ApiKeyStore;
import io.otaedge.control.auth.Caller;
import io.otaedge.control.auth.KeySecret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Who an admin request's bearer key stands for: the bootstrap key ({@code OTA_ADMIN_KEY}, compared in constant
 * time so it cannot be guessed byte by byte) or an API key {@code ota_k_<id>_<secret>}, looked up by its id
 * and checked against its stored SHA-256 (also in constant time).
 */
final class AdminAuth {

    private static final String BEARER = "bearer ";

    private final byte[] bootstrap;
    private final ApiKeyStore keys;

    /** @param keys null: only the bootstrap key opens the API */
    AdminAuth(String adminKey, ApiKeyStore keys) {
        this.bootstrap = adminKey.getBytes(StandardCharsets.UTF_8);
        this.keys = keys;
    }

    /** What a check found: the caller, or none and the id of the API key that was presented (null if none was). */
    record Outcome(Caller caller, String presentedId) {
        boolean allowed() {
            return caller != null;
        }
    }

    private static final Outcome NO_KEY = new Outcome(null, null);

    Mono<Outcome> check(HttpServerRequest request) {
        String header = request.requestHeaders().get("Authorization");
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Mono.just(NO_KEY);
        }
        String given = header.substring(BEARER.length()).trim();
        if (MessageDigest.isEqual(bootstrap, given.getBytes(StandardCharsets.UTF_8))) {
            return Mono.just(new Outcome(Caller.BOOTSTRAP, null));
        }
        KeySecret presented = keys == null ? null : KeySecret.parse(given);
        if (presented == null) {
            return Mono.just(NO_KEY);
        }
        return keys.verify(presented).map(c -> new Outcome(c, presented.id()))
                .defaultIfEmpty(new Outcome(null, presented.id()));
    }
}
