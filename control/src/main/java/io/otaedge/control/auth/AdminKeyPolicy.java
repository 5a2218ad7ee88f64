package io.otaedge.control.auth;

import io.otaedge.common.config.ConfigException;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses a bootstrap admin key ({@code OTA_ADMIN_KEY}) that is short or a known placeholder, at start: a
 * deployment copied from an example must not come up with the example's key. Run by the service entry points
 * (ControlMain, the standalone's main), not by the configuration record, so tests may keep short keys.
 */
public final class AdminKeyPolicy {

    public static final int MIN_LENGTH = 24;
    /** Words that mark a key as an example's, whatever surrounds them (deploy/ shipped {@code dev-admin-key-CHANGE-ME}). */
    private static final Set<String> PLACEHOLDER_WORDS = Set.of("change-me", "changeme", "change_me", "placeholder",
            "example", "replace-me", "replaceme");
    /** Whole values too common to be anyone's own key. */
    private static final Set<String> DEFAULTS = Set.of("admin", "secret", "password", "test", "default", "key", "admin-key");

    private AdminKeyPolicy() {
    }

    /** @throws ConfigException naming what to set, never echoing the key */
    public static void check(String key) {
        if (key == null || key.isBlank()) {
            return; // ControlConfig says it is required
        }
        String lower = key.toLowerCase(Locale.ROOT);
        boolean placeholder = DEFAULTS.contains(lower) || PLACEHOLDER_WORDS.stream().anyMatch(lower::contains);
        if (placeholder || key.length() < MIN_LENGTH) {
            throw new ConfigException("OTA_ADMIN_KEY is " + (placeholder ? "a placeholder or default value" : "shorter than "
                    + MIN_LENGTH + " characters") + ": set it to a random secret of your own, e.g. "
                    + "OTA_ADMIN_KEY=\"$(openssl rand -base64 36)\"");
        }
    }
}
