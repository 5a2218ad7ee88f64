package io.otaedge.control.admin;

import io.otaedge.control.audit.AuditTrail;
import io.otaedge.control.http.ApiException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * {@code GET /admin/v1/audit}: the audit trail, newest first, {@code limit} (1–1000, default 100) entries a page;
 * {@code nextCursor} goes back as {@code cursor} for the next, older page. Filters: {@code keyId}, {@code target}
 * (any target id of the route, e.g. a task id) and {@code since} (RFC 3339).
 */
final class AuditAdmin {

    private static final Pattern CURSOR = Pattern.compile("\\d{1,20}-\\d{1,20}");
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final AuditTrail trail;

    AuditAdmin(AuditTrail trail) {
        this.trail = trail;
    }

    Mono<AdminReply> list(HttpServerRequest request) {
        Map<String, String> q = AdminRequests.query(request);
        for (String name : q.keySet()) {
            if (!java.util.Set.of("cursor", "limit", "keyId", "target", "since").contains(name)) {
                throw ApiException.badRequest("unknown query parameter '" + name + "'");
            }
        }
        String cursor = q.get("cursor");
        if (cursor != null && !CURSOR.matcher(cursor).matches()) {
            throw ApiException.badRequest("cursor must be a nextCursor this API returned");
        }
        String keyId = q.get("keyId");
        if (keyId != null && !KEY_ID.matcher(keyId).matches()) {
            throw ApiException.badRequest("keyId must be a key id or 'bootstrap'");
        }
        AuditTrail.Query query = new AuditTrail.Query(cursor, limit(q.get("limit")), keyId, q.get("target"), since(q.get("since")));
        return trail.page(query).map(page -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("items", page.items());
            // A JSON null at the end, written even where the mapper leaves null values out (as the progress view).
            body.put("nextCursor", page.nextCursor() == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance()
                    : page.nextCursor());
            return AdminReply.ok(body);
        });
    }

    private static int limit(String text) {
        if (text == null) {
            return 100;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= 1000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("limit must be an integer from 1 to 1000");
    }

    private static Instant since(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("since must be an RFC 3339 time in UTC, e.g. 2026-12-01T00:00:00Z");
        }
    }
}
