package io.otaedge.control.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import io.otaedge.common.json.Json;
import io.otaedge.control.audit.AuditEntry;
import io.otaedge.control.audit.AuditTrail;
import io.otaedge.control.auth.Caller;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Turns an admin write and its answer into an audit entry: who, the route template and its ids (and what a 201
 * created), the status, the caller's address and the body the handler read. Reads are not recorded, but for those
 * that hand out a credential ({@link AdminRoutes#isCredentialRead}): action {@code read_credential}, never the
 * credential (the answer's body is not looked at).
 */
final class AdminAudit {

    static final AdminAudit OFF = new AdminAudit(null);

    /** Null: off. */
    private final AuditTrail trail;

    AdminAudit(AuditTrail trail) {
        this.trail = trail;
    }

    /** Records the request in the background; {@code body} is the JSON object the handler read, or null. */
    void record(HttpServerRequest request, Caller caller, ClientAddress from, AdminReply reply, JsonNode body) {
        HttpMethod m = request.method();
        if (trail == null || m.equals(HttpMethod.OPTIONS)) {
            return;
        }
        boolean read = m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD);
        if (read && !AdminRoutes.isCredentialRead("/" + request.path())) {
            return;
        }
        Map<String, String> targets = request.params() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(request.params());
        patchTarget("/" + request.path(), targets);
        String route = template("/" + request.path(), targets);
        created(reply, targets);
        trail.record(new AuditEntry(trail.clock().instant(), caller.keyId(), caller.name(), m.name(), route, targets,
                reply.status(), from.text(), AuditTrail.change(body, AdminRequests.query(request)),
                read ? AuditEntry.READ_CREDENTIAL : null));
    }

    /**
     * PATCH routes match by a predicate of ours (reactor-netty has no PATCH route), so they carry no path parameters:
     * their one id is read from the path here, as a template route's would be.
     */
    private static void patchTarget(String path, Map<String, String> targets) {
        if (!targets.isEmpty()) {
            return;
        }
        java.util.regex.Matcher m = PATCH_PATHS.matcher(path);
        if (m.matches()) {
            targets.put(m.group(1).equals("tasks") ? "taskId" : "productId", m.group(2));
        }
    }

    private static final java.util.regex.Pattern PATCH_PATHS = java.util.regex.Pattern.compile("/admin/v1/(tasks|products)/([^/]+)/?");

    /** The route template of {@code path}: each segment that is a route parameter's value becomes {@code {name}}. */
    static String template(String path, Map<String, String> params) {
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            for (Map.Entry<String, String> p : params.entrySet()) {
                if (!segments[i].isEmpty() && segments[i].equals(p.getValue())) {
                    segments[i] = "{" + p.getKey() + "}";
                    break;
                }
            }
        }
        return String.join("/", segments);
    }

    /** What a 201 created is a target too: its {@code productId} and {@code id} (as {@code createdId}). */
    private static void created(AdminReply reply, Map<String, String> targets) {
        if (reply.status() != 201 || reply.body() == null) {
            return;
        }
        JsonNode b = Json.mapper().valueToTree(reply.body());
        if (b.path("productId").isTextual()) {
            targets.putIfAbsent("productId", b.get("productId").asText());
        }
        if (b.path("id").isTextual()) {
            targets.put("createdId", b.get("id").asText());
        }
    }
}
