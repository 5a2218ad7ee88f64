package io.otaedge.control.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.otaedge.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's files, read once from the classpath at start. Only the names listed here are ever served, so no
 * request path reaches the file system or any other resource. {@code openapi.json} is docs/openapi.yaml (copied
 * into the jar by the build) as JSON: the console builds its task form from the schema, so a field added to the
 * API appears in the console without a console change.
 */
final class ConsoleAssets {

    /** Every file under resources/console/ (ConsoleAssetsTest checks the two agree). */
    static final List<String> FILES = List.of(
            "index.html", "icon.svg", "console.css", "app.js", "api.js", "dom.js", "chart.js", "schema-form.js",
            "views/signin.js", "views/products.js", "views/firmware.js", "views/tasks.js", "views/task.js",
            "views/devices.js", "views/edges.js", "views/audit.js");
    static final String OPENAPI = "openapi.json";
    private static final String ROOT = "console/";

    private ConsoleAssets() {
    }

    static Map<String, ConsoleAsset> load() {
        Map<String, ConsoleAsset> assets = new LinkedHashMap<>();
        FILES.forEach(name -> assets.put(name, ConsoleAsset.of(read(name), contentType(name))));
        assets.put(OPENAPI, ConsoleAsset.of(openApiJson(read("openapi.yaml")), contentType(OPENAPI)));
        return Map.copyOf(assets);
    }

    static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "json" -> "application/json";
            case "svg" -> "image/svg+xml";
            default -> throw new IllegalArgumentException("no content type for console file " + name);
        };
    }

    private static byte[] openApiJson(byte[] yaml) {
        try {
            JsonNode tree = new YAMLMapper().readTree(yaml);
            return Json.bytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException("console/openapi.yaml is not valid YAML", e);
        }
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("the console file " + ROOT + name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ROOT + name, e);
        }
    }
}
