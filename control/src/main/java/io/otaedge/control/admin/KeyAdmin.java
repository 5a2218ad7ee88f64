package io.otaedge.control.admin;

import io.otaedge.control.auth.ApiKeyStore;
import io.otaedge.control.auth.Caller;
import io.otaedge.control.auth.KeySecret;
import io.otaedge.control.auth.Role;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.http.StrictBody;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * {@code /admin/v1/keys}: API keys with a role. Creating one answers its secret once ({@code key}); the list
 * and the store never hold it (only its SHA-256). Revoking deletes the record, so the next request with that key
 * is refused by every control instance.
 */
final class KeyAdmin {

    private final ApiKeyStore keys;
    private final Clock clock;
    private final int maxBody;

    KeyAdmin(ApiKeyStore keys, Clock clock, int maxBody) {
        this.keys = keys;
        this.clock = clock;
        this.maxBody = maxBody;
    }

    Mono<AdminReply> create(HttpServerRequest request) {
        return Mono.deferContextual(ctx -> RequestBodies.readObject(request, maxBody, false).map(StrictBody::of).flatMap(body -> {
            String name = AdminRequests.requiredText(body, "name");
            if (name.length() > 100) {
                throw ApiException.badRequest("name must be at most 100 characters");
            }
            String roleName = AdminRequests.requiredText(body, "role");
            Role role = Role.parse(roleName);
            if (role == null) {
                throw ApiException.badRequest("role must be one of viewer, operator, admin");
            }
            Instant expiresAt = expiresAt(AdminRequests.optionalText(body, "expiresAt"));
            body.refuseUnread();
            Caller by = ctx.getOrDefault(Caller.class, Caller.BOOTSTRAP);
            return keys.create(name, role, expiresAt, by.keyId()).map(created -> {
                Map<String, Object> view = created.key().view();
                view.put("key", created.presented());
                return AdminReply.created(view);
            });
        }));
    }

    Mono<AdminReply> list(HttpServerRequest request) {
        return keys.list().map(list -> AdminReply.ok(Map.of("keys", list.stream().map(k -> k.view()).toList())));
    }

    Mono<AdminReply> revoke(HttpServerRequest request) {
        String id = request.param("keyId");
        Mono<Boolean> revoked = KeySecret.isId(id) ? keys.revoke(id) : Mono.just(false);
        return revoked.map(existed -> {
            if (!existed) {
                throw ApiException.notFound("key_not_found", "no API key '" + id + "' (unknown, expired or already revoked)");
            }
            return AdminReply.noContent();
        });
    }

    private Instant expiresAt(String text) {
        if (text == null) {
            return null;
        }
        Instant at;
        try {
            at = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("expiresAt must be an RFC 3339 time in UTC, e.g. 2027-01-31T00:00:00Z");
        }
        if (!at.isAfter(clock.instant())) {
            throw ApiException.badRequest("expiresAt must be in the future");
        }
        return at;
    }
}
