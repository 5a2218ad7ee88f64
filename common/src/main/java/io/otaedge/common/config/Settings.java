package io.otaedge.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Configuration, 12-factor style: environment variables, optionally backed by a properties file
 * named in {@code OTA_CONFIG_FILE} (same keys). The environment wins over the file.
 *
 * <p>Every getter fails fast with the key's name and the offending value, so a typo in a
 * deployment is reported at start-up and not as a strange behaviour later.
 */
public final class Settings {

    public static final String CONFIG_FILE = "OTA_CONFIG_FILE";

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Settings from this process' environment (and the file it names, if any). */
    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    /** Settings from the given variables (and the file they name, if any); for tests and embedding. */
    public static Settings from(Map<String, String> env) {
        Map<String, String> merged = new HashMap<>();
        String file = env.get(CONFIG_FILE);
        if (file != null && !file.isBlank()) {
            merged.putAll(readFile(Path.of(file)));
        }
        env.forEach((k, v) -> {
            if (v != null) {
                merged.put(k, v);
            }
        });
        return new Settings(merged);
    }

    /** A copy of these settings with some keys replaced; the standalone uses it to wire its parts. */
    public Settings with(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(values);
        merged.putAll(overrides);
        return new Settings(merged);
    }

    public Optional<String> get(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String string(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    public int integer(String key, int defaultValue) {
        return get(key).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new ConfigException(key, v, "an integer");
            }
        }).orElse(defaultValue);
    }

    /** A TCP port; 0 means "any free port" where the caller allows it. */
    public int port(String key, int defaultValue) {
        int port = integer(key, defaultValue);
        if (port < 0 || port > 65535) {
            throw new ConfigException(key, String.valueOf(port), "a port number from 0 to 65535");
        }
        return port;
    }

    public long longValue(String key, long defaultValue) {
        return get(key).map(v -> {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new ConfigException(key, v, "an integer");
            }
        }).orElse(defaultValue);
    }

    public boolean bool(String key, boolean defaultValue) {
        return get(key).map(v -> switch (v.toLowerCase()) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigException(key, v, "true or false");
        }).orElse(defaultValue);
    }

    /** An ISO-8601 duration such as {@code P2D}, {@code PT30S} or {@code PT0.5S}. */
    public Duration duration(String key, Duration defaultValue) {
        return get(key).map(v -> {
            try {
                Duration d = Duration.parse(v);
                if (d.isNegative()) {
                    throw new ConfigException(key, v, "a positive ISO-8601 duration");
                }
                return d;
            } catch (DateTimeParseException e) {
                throw new ConfigException(key, v, "an ISO-8601 duration such as P2D or PT30S");
            }
        }).orElse(defaultValue);
    }

    public Path path(String key, String defaultValue) {
        return Path.of(string(key, defaultValue)).toAbsolutePath().normalize();
    }

    private static Map<String, String> readFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException(CONFIG_FILE, file.toString(), "a readable properties file (" + e.getMessage() + ")");
        }
        Map<String, String> m = new HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }
}
