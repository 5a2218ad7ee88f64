package io.otaedge.control.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import reactor.netty.http.server.HttpServerRequest;

/** The admin API's bearer key check, in constant time so the key cannot be guessed byte by byte. */
final class AdminAuth {

    private static final String BEARER = "bearer ";

    private final byte[] key;

    AdminAuth(String adminKey) {
        this.key = adminKey.getBytes(StandardCharsets.UTF_8);
    }

    boolean allows(HttpServerRequest request) {
        String header = request.requestHeaders().get("Authorization");
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] given = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(key, given);
    }
}
