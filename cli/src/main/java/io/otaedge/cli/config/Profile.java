package io.otaedge.cli.config;

import java.util.regex.Pattern;

/** A named admin endpoint: the admin port's base URL and its bearer key. */
public record Profile(String name, String url, String key) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The key as a listing shows it: enough to tell keys apart, never the secret. */
    public String maskedKey() {
        return key.length() <= 8 ? "****" : key.substring(0, 4) + "…" + key.substring(key.length() - 2);
    }
}
