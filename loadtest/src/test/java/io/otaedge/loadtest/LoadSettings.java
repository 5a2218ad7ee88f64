package io.otaedge.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Everything a simulation can be told, as {@code -Dota.*} system properties. The defaults point at
 * the standalone ({@code java -jar standalone/target/ota-standalone.jar}) on its default ports;
 * each simulation passes its own defaults for fleet size and thresholds.
 */
public final class LoadSettings {

    private LoadSettings() {
    }

    /** Control's device-facing base URL ({@code ota.deviceUrl}). */
    public static String deviceUrl() {
        return url("ota.deviceUrl", "http://127.0.0.1:8081");
    }

    /** Control's admin base URL ({@code ota.adminUrl}). */
    public static String adminUrl() {
        return url("ota.adminUrl", "http://127.0.0.1:8082");
    }

    /** An edge's base URL ({@code ota.edgeUrl}): LuatOS devices ask the edge directly. */
    public static String edgeUrl() {
        return url("ota.edgeUrl", "http://127.0.0.1:8080");
    }

    /**
     * The admin bearer key: {@code ota.adminKey}, else the file {@code ota.adminKeyFile}, else the
     * standalone's {@code data/admin.key} (looked up from the module and from the repository root).
     */
    public static String adminKey() {
        String key = System.getProperty("ota.adminKey");
        if (key != null && !key.isBlank()) {
            return key.trim();
        }
        String file = System.getProperty("ota.adminKeyFile");
        List<Path> candidates = file != null ? List.of(Path.of(file))
                : List.of(Path.of("data", "admin.key"), Path.of("..", "data", "admin.key"));
        for (Path p : candidates) {
            if (Files.isReadable(p)) {
                try {
                    return Files.readString(p).trim();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("No admin key: pass -Dota.adminKey=<key> or -Dota.adminKeyFile=<path> (tried "
                + candidates.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList() + ")");
    }

    public static int integer(String name, int defaultValue) {
        return parse(name, defaultValue, Integer::parseInt, "an integer");
    }

    public static double decimal(String name, double defaultValue) {
        return parse(name, defaultValue, Double::parseDouble, "a number");
    }

    public static boolean flag(String name, boolean defaultValue) {
        return Boolean.parseBoolean(System.getProperty(name, Boolean.toString(defaultValue)).trim());
    }

    public static Duration millis(String name, long defaultMillis) {
        return Duration.ofMillis(integer(name, (int) defaultMillis));
    }

    /** A comma-separated list, lower-cased ({@code ota.dialects=onenet,fog}). */
    public static List<String> list(String name, String defaultValue) {
        return Arrays.stream(System.getProperty(name, defaultValue).split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
    }

    private static <T> T parse(String name, T defaultValue, Function<String, T> parser, String expected) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        try {
            return parser.apply(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + name + " must be " + expected + ", got " + v);
        }
    }

    private static String url(String name, String defaultValue) {
        String v = System.getProperty(name, defaultValue).trim();
        return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
    }
}
