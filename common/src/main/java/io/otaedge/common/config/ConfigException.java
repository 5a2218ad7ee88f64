package io.otaedge.common.config;

/** A configuration value that cannot be used; the message names the key, the value and what was expected. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String key, String value, String expected) {
        super(key + "='" + value + "' is not valid: expected " + expected);
    }

    public ConfigException(String message) {
        super(message);
    }
}
