package io.otaedge.control.auth;

import java.util.Locale;

/**
 * What an admin API key may do, each role covering the ones before it: {@code viewer} reads, {@code operator}
 * also runs rollouts (firmware, tasks and their lifecycle, dialect settings, download-token revocation),
 * {@code admin} also manages keys, creates products and deletes. The route → role table is in {@code AdminRoutes}.
 */
public enum Role {
    VIEWER, OPERATOR, ADMIN;

    public boolean covers(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    /** The name on the wire and in Redis: lower case. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code s} (as {@link #wire()}), or null. */
    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.wire().equals(s)) {
                return r;
            }
        }
        return null;
    }
}
