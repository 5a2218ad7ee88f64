package io.otaedge.control.auth;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A stored API key, without its secret (only the secret's SHA-256 is kept, and never leaves the store). */
public record ApiKey(String id, String name, Role role, Instant createdAt, Instant expiresAt, String createdBy) {

    /** The admin API's view: {@code id, name, role, createdAt, createdBy}, {@code expiresAt} when set. */
    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("role", role.wire());
        m.put("createdAt", createdAt.toString());
        m.put("createdBy", createdBy);
        if (expiresAt != null) {
            m.put("expiresAt", expiresAt.toString());
        }
        return m;
    }

    public Caller caller() {
        return new Caller(id, name, role);
    }
}
