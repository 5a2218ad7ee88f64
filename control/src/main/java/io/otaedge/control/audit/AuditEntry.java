package io.otaedge.control.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One admin write or failed authentication: who ({@code keyId}, {@code keyName}; {@code bootstrap} for
 * OTA_ADMIN_KEY, the presented key's id or {@code -} when authentication failed), what ({@code method}, the
 * route template, its target ids), when, the answer's status, the caller's address and the essentials of the
 * change (the JSON body with secrets hidden, the query of an upload; never firmware bytes or keys). A read that hands
 * out a credential is recorded too, as the action {@value #READ_CREDENTIAL} (the entry never holds the credential).
 *
 * @param targets route parameter → value, e.g. {@code taskId → t1}
 * @param change  JSON text, or null
 * @param action  {@value #READ_CREDENTIAL}, or null for a write or a failed authentication (told by method and status)
 */
public record AuditEntry(Instant at, String keyId, String keyName, String method, String route, Map<String, String> targets,
                         int status, String address, String change, String action) {

    /** The action of a read that answered (or was refused) a credential devices authenticate with. */
    public static final String READ_CREDENTIAL = "read_credential";

    /** A write or a failed authentication. */
    public AuditEntry(Instant at, String keyId, String keyName, String method, String route, Map<String, String> targets,
                      int status, String address, String change) {
        this(at, keyId, keyName, method, route, targets, status, address, change, null);
    }

    /** The fields of the stream entry. */
    Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("at", at.toString());
        f.put("keyId", keyId);
        f.put("keyName", keyName);
        f.put("method", method);
        f.put("route", route);
        f.put("status", Integer.toString(status));
        f.put("address", address);
        targets.forEach((k, v) -> f.put("t:" + k, v));
        if (change != null) {
            f.put("change", change);
        }
        if (action != null) {
            f.put("action", action);
        }
        return f;
    }

    static AuditEntry from(Map<String, String> f) {
        Map<String, String> targets = new LinkedHashMap<>();
        f.forEach((k, v) -> {
            if (k.startsWith("t:")) {
                targets.put(k.substring(2), v);
            }
        });
        return new AuditEntry(Instant.parse(f.get("at")), f.get("keyId"), f.get("keyName"), f.get("method"), f.get("route"),
                targets, Integer.parseInt(f.get("status")), f.get("address"), f.get("change"), f.get("action"));
    }
}
