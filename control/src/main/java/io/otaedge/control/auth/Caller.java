package io.otaedge.control.auth;

/**
 * Who sent an admin request: an API key ({@code keyId}, its name and role) or the bootstrap key
 * ({@code OTA_ADMIN_KEY}, id {@value #BOOTSTRAP_ID}, role admin).
 */
public record Caller(String keyId, String name, Role role) {

    public static final String BOOTSTRAP_ID = "bootstrap";
    public static final Caller BOOTSTRAP = new Caller(BOOTSTRAP_ID, BOOTSTRAP_ID, Role.ADMIN);
}
