package io.otaedge.control.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.otaedge.common.testing.OpenApiResponses;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * docs/openapi.yaml against the running server: every documented operation, called in document order
 * with the document's own examples (example ids swapped for live ones), answers a documented 2xx status
 * with a body valid against its schema ({@link OpenApiResponses}); OneNET operations answer errno 0; refusals
 * are documented statuses with Error bodies. The standalone's end-to-end client checks every admin answer it
 * sees the same way.
 */
class OpenApiContractTest {

    static final Set<String> METHODS = Set.of("get", "head", "put", "post", "delete", "patch");
    static ControlHarness control;
    static JsonNode spec;
    /** Example value → live value; grows as operations create things. */
    static final Map<String, String> live = new LinkedHashMap<>();
    static String oneNetAuth;
    static final String INTERNAL_SECRET = "contract-test-internal-secret";
    static OpenApiResponses responses;

    @BeforeAll
    static void start() throws IOException {
        control = new ControlHarness("OTA_INTERNAL_SECRET", INTERNAL_SECRET);
        spec = new YAMLMapper().readTree(Path.of("..", "docs", "openapi.yaml").toFile());
        String pid = ControlHarness.uniqueId("oas");
        String key = control.createProduct(pid);
        oneNetAuth = ControlHarness.authorization(key, pid);
        JsonNode uploaded = control.uploadFirmware(pid, "1.9", new byte[] {9, 8, 7});
        String fw = uploaded.get("id").asText();
        control.createTask(pid, "{\"firmwareId\":\"" + fw + "\"}");
        JsonNode offer = control.checkJson(oneNetAuth, ControlHarness.seedBody(6523, "1.0"));
        live.put("demo", pid);
        live.put("fw_example", fw);
        live.put("ota_example", offer.get("data").get("token").asText());
        live.put("123456", xiaozhiActivationCode(pid));
        live.put("sha256_example", uploaded.get("sha256").asText());
        // Products of their own for setProductStatus (archived) and deleteProduct (an empty one).
        String retired = ControlHarness.uniqueId("oas-retired");
        control.createProduct(retired);
        live.put("demo_retired", retired);
        String empty = ControlHarness.uniqueId("oas-empty");
        control.createProduct(empty);
        live.put("demo_empty", empty);
        // A package no task uses: the one deleteFirmware deletes.
        live.put("fw_unused", control.uploadFirmware(pid, "1.8", new byte[] {8, 8, 8}).get("id").asText());
        live.put("demo_LuatOS-SoC_EC618", pid + "_LuatOS-SoC_EC618");
        live.put("luatos_key_example", ControlHarness.json(control.adminGet("/admin/v1/products/" + pid + "/luatos-key"))
                .get("projectKey").asText());
    }

    /** A pending activation code: what a xiaozhi device of the product gets on its first OTA call. */
    static String xiaozhiActivationCode(String productId) {
        HttpResponse<String> r = control.xiaozhiOta(productId, "d4:06:06:b6:a9:fb", "1.0.0");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ControlHarness.json(r).get("activation").get("code").asText();
    }

    @AfterAll
    static void stop() {
        control.close();
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    record Operation(String path, String method, JsonNode op, boolean devicePort) {
    }

    static List<Operation> operations() {
        List<Operation> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            boolean device = p.getValue().has("servers");
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> o = ops.next();
                if (METHODS.contains(o.getKey())) {
                    out.add(new Operation(p.getKey(), o.getKey(), o.getValue(), device));
                }
            }
        }
        return out;
    }

    @Test
    void theDocumentIsOpenApi31WithAnAnswerForEveryOperation() {
        assertThat(spec.get("openapi").asText()).startsWith("3.1");
        List<Operation> ops = operations();
        assertThat(ops).hasSizeGreaterThanOrEqualTo(24);
        for (Operation o : ops) {
            assertThat(o.op().get("responses")).as(o.method() + " " + o.path()).isNotEmpty();
        }
    }

    @Test
    void everyRegisteredAdminRouteIsDocumented() {
        List<String> registered = new ArrayList<>();
        HttpServerRoutes recorder = (HttpServerRoutes) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServerRoutes.class}, (proxy, method, args) -> {
                    if (METHODS.contains(method.getName()) && args != null && args.length > 0 && args[0] instanceof String path) {
                        registered.add(method.getName() + " " + path);
                    }
                    return method.getReturnType().isInstance(proxy) ? proxy : null;
                });
        control.server.adminRoutes().register(recorder);
        // The edges' internal calls are documented too (registered beside the admin routes).
        control.server.internalRoutes().register(recorder);
        List<String> admin = registered.stream().filter(r -> r.contains(" /admin/") || r.contains(" /internal/")).toList();
        assertThat(admin).hasSizeGreaterThanOrEqualTo(29).contains("get /internal/v1/luatos/decision");
        List<String> documented = operations().stream().map(o -> o.method() + " " + o.path()).toList();
        assertThat(documented).containsAll(admin);
    }

    @Test
    void everyDocumentedOperationAnswersADocumentedStatusForAValidRequest() {
        for (Operation o : operations()) {
            String what = o.method().toUpperCase() + " " + o.path();
            HttpResponse<String> r = control.send(request(o));
            JsonNode responses = o.op().get("responses");
            assertThat(responses.has(Integer.toString(r.statusCode()))).as(what + " answered undocumented " + r.statusCode() + " " + r.body())
                    .isTrue();
            assertThat(r.statusCode()).as(what + ": " + r.body()).isBetween(200, 299);
            JsonNode schema = resolve(responses.get(Integer.toString(r.statusCode())))
                    .path("content").path("application/json").path("schema");
            assertThat(responses().problems(o.method().toUpperCase(), r.uri().toString(), r.statusCode(), r.body()))
                    .as(what + ": the body against its schema").isEmpty();
            if (!schema.isMissingNode()) {
                JsonNode body = ControlHarness.json(r);
                remember(o, body);
                if (o.devicePort()) {
                    assertThat(body.get("errno").asInt()).as(what + ": " + r.body()).isZero();
                }
            }
        }
    }

    static OpenApiResponses responses() {
        if (responses == null) {
            responses = OpenApiResponses.load();
        }
        return responses;
    }

    /** Refusals are answers too: each one's status is documented for its operation and its body is an Error. */
    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "POST   | /admin/v1/products                          | {\"productId\":\"x\",\"name\":\"n\",\"nmae\":1} | 400",
            "POST   | /admin/v1/products                          | {\"name\":\"n\"}                            | 400",
            "GET    | /admin/v1/products/none-such                | ''                                           | 404",
            "GET    | /admin/v1/tasks/none-such                   | ''                                           | 404",
            "POST   | /admin/v1/tasks/none-such/pause             | ''                                           | 404",
            "POST   | /admin/v1/products/none-such/firmwares?version=abc | ''                                    | 400",
            "POST   | /admin/v1/products/none-such/firmwares?version=1.0 | bytes                                 | 404",
            "DELETE | /admin/v1/tokens/ota_none                   | ''                                           | 404"})
    void everyRefusalIsADocumentedError(String method, String uri, String json, int status) {
        HttpRequest.Builder b = control.adminRequest(uri).header("Content-Type", "application/json");
        HttpResponse<String> r = control.send(b.method(method, json.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(responses().problems(method, uri, r.statusCode(), r.body())).isEmpty();
    }

    /** An edit takes every create field but firmwareId and start: TaskPatch cannot drift from TaskRequest. */
    @Test
    void taskPatchHasTheFieldsOfTaskRequestButFirmwareIdAndStart() {
        List<String> request = new ArrayList<>();
        spec.at("/components/schemas/TaskRequest/properties").fieldNames().forEachRemaining(request::add);
        request.removeAll(List.of("firmwareId", "start"));
        List<String> patch = new ArrayList<>();
        spec.at("/components/schemas/TaskPatch/properties").fieldNames().forEachRemaining(patch::add);
        assertThat(patch).containsExactlyElementsOf(request);
        assertThat(spec.at("/components/schemas/TaskPatch/properties").toString())
                .isEqualTo(((com.fasterxml.jackson.databind.node.ObjectNode) spec.at("/components/schemas/TaskRequest/properties").deepCopy())
                        .without(List.of("firmwareId", "start")).toString());
    }

    @Test
    void theSchemaCheckCatchesAWrongBody() {
        assertThat(responses().problems("GET", "/admin/v1/tasks/t1/progress", 200,
                "{\"taskId\":\"t\",\"productId\":\"p\",\"targetVersion\":\"1\",\"status\":\"RUNNING\",\"stage\":0,"
                        + "\"total\":1,\"counts\":{},\"stages\":[],\"timedOut\":0,"
                        + "\"devices\":[{\"deviceId\":\"d\",\"step\":\"75\",\"servedBytes\":0,\"downloadPercent\":0}],\"nextCursor\":null}"))
                .singleElement().asString().contains("/devices/0/step");
        assertThat(responses().problems("GET", "/admin/v1/nowhere", 200, "{}")).singleElement().asString()
                .contains("no such operation");
        assertThat(responses().problems("GET", "/admin/v1/products", 418, "{}")).singleElement().asString()
                .contains("status not documented");
    }

    /** Live ids created by an operation replace the document's example ids for the later ones. */
    static void remember(Operation o, JsonNode body) {
        if (o.method().equals("post") && o.path().endsWith("/tasks")) {
            live.put("task_example", body.get("id").asText());
        }
        if (o.method().equals("post") && o.path().equals("/admin/v1/keys")) {
            live.put("k3yExample01", body.get("id").asText());
        }
        if (body.path("data").has("token")) {
            live.put("ota_example", body.get("data").get("token").asText());
        }
    }

    static HttpRequest request(Operation o) {
        StringBuilder query = new StringBuilder();
        String path = o.path();
        List<JsonNode> params = new ArrayList<>();
        // The operation's own parameters first: they override the path's (deleteFirmware names another package).
        o.op().path("parameters").forEach(params::add);
        spec.get("paths").get(o.path()).path("parameters").forEach(params::add);
        for (JsonNode param : params) {
            JsonNode p = resolve(param);
            if (!p.has("example")) {
                continue;
            }
            String value = swap(p.get("example").asText());
            if (p.get("in").asText().equals("path")) {
                path = path.replace("{" + p.get("name").asText() + "}", value);
            } else if (p.get("in").asText().equals("query")) {
                query.append(query.isEmpty() ? "?" : "&").append(p.get("name").asText()).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        String uri = path + query;
        boolean internal = o.op().path("security").toString().contains("internalSecret");
        HttpRequest.Builder b = o.devicePort()
                ? HttpRequest.newBuilder(control.device(uri)).header("Authorization", oneNetAuth)
                : internal ? HttpRequest.newBuilder(control.admin(uri)).header("X-OTA-Internal-Secret", INTERNAL_SECRET)
                : control.adminRequest(uri);
        JsonNode content = o.op().path("requestBody").path("content");
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        if (content.has("application/json")) {
            JsonNode example = content.get("application/json").path("example");
            String json = example.isMissingNode() ? "{}" : example.toString();
            // A new product needs a new id; everything else refers to the live fixtures.
            json = o.path().equals("/admin/v1/products") ? json.replace("\"demo\"", "\"" + ControlHarness.uniqueId("oas-new") + "\"")
                    : swapAll(json);
            b.header("Content-Type", "application/json");
            body = HttpRequest.BodyPublishers.ofString(json);
        } else if (content.has("application/octet-stream")) {
            b.header("Content-Type", "application/octet-stream");
            body = HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3, 4});
        }
        return b.method(o.method().toUpperCase(), body).build();
    }

    static String swap(String example) {
        return live.getOrDefault(example, example);
    }

    static String swapAll(String json) {
        for (Map.Entry<String, String> e : live.entrySet()) {
            json = json.replace("\"" + e.getKey() + "\"", "\"" + e.getValue() + "\"");
        }
        return json;
    }

    /** Follows a local {@code $ref} ({@code #/components/...}). */
    static JsonNode resolve(JsonNode node) {
        JsonNode n = node;
        while (n.has("$ref")) {
            n = spec.at(n.get("$ref").asText().substring(1));
        }
        return n;
    }
}
