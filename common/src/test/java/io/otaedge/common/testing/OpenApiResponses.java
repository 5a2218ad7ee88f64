package io.otaedge.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks an admin answer against docs/openapi.yaml: its operation (method and path template) is documented,
 * its status is one of the operation's responses, and a JSON body is valid against that response's schema
 * (JSON Schema 2020-12, as OpenAPI 3.1 defines it; {@code $ref}s into {@code #/components} resolved). Used by
 * the tests that see admin answers (control's contract test, the standalone's end-to-end client) as a hook.
 */
public final class OpenApiResponses {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final JsonNode spec;
    private final Map<JsonNode, Schema> schemas = new ConcurrentHashMap<>();

    private OpenApiResponses(JsonNode spec) {
        this.spec = spec;
    }

    /** The document at docs/openapi.yaml, looked for from the working directory upwards (module or root). */
    public static OpenApiResponses load() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("docs").resolve("openapi.yaml");
            if (Files.isRegularFile(file)) {
                try {
                    return new OpenApiResponses(new YAMLMapper().readTree(file.toFile()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("no docs/openapi.yaml above " + Path.of("").toAbsolutePath());
    }

    /** What is wrong with this answer by the document; empty when nothing is. {@code uri} may hold a query. */
    public List<String> problems(String method, String uri, int status, String body) {
        String path = URI.create(uri).getRawPath();
        String what = method + " " + path + " " + status;
        Optional<JsonNode> op = operation(method.toLowerCase(Locale.ROOT), path);
        if (op.isEmpty()) {
            return List.of(what + ": no such operation in docs/openapi.yaml");
        }
        JsonNode response = op.get().path("responses").path(Integer.toString(status));
        if (response.isMissingNode()) {
            response = op.get().path("responses").path("default");
        }
        if (response.isMissingNode()) {
            return List.of(what + ": status not documented for the operation");
        }
        JsonNode schema = resolve(response).path("content").path("application/json").path("schema");
        if (schema.isMissingNode() || body == null || body.isEmpty()) {
            return List.of();
        }
        JsonNode value;
        try {
            value = JSON.readTree(body);
        } catch (IOException e) {
            return List.of(what + ": body is not JSON: " + body);
        }
        List<String> out = new ArrayList<>();
        for (Error e : schema(schema).validate(value)) {
            out.add(what + ": " + e.getInstanceLocation() + " " + e.getMessage() + " in " + body);
        }
        return out;
    }

    private Optional<JsonNode> operation(String method, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = spec.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            if (matches(p.getKey(), path) && p.getValue().has(method)) {
                return Optional.of(p.getValue().get(method));
            }
        }
        return Optional.empty();
    }

    private static boolean matches(String template, String path) {
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (t.length != p.length) {
            return false;
        }
        for (int i = 0; i < t.length; i++) {
            boolean variable = t[i].startsWith("{") && t[i].endsWith("}");
            if (variable ? p[i].isEmpty() : !t[i].equals(p[i])) {
                return false;
            }
        }
        return true;
    }

    /** One schema document per response schema: the schema itself beside the document's components. */
    private Schema schema(JsonNode schema) {
        return schemas.computeIfAbsent(schema, s -> {
            ObjectNode root = JSON.createObjectNode();
            root.put("$schema", SpecificationVersion.DRAFT_2020_12.getDialectId());
            root.set("components", spec.path("components"));
            root.putArray("allOf").add(s);
            return REGISTRY.getSchema(root);
        });
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode n = node;
        while (n.has("$ref")) {
            n = spec.at(n.get("$ref").asText().substring(1));
        }
        return n;
    }
}
