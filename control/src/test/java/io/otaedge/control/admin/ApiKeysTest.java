package io.otaedge.control.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.redis.TestRedis;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.RunningControlTest;
import io.otaedge.control.auth.ApiKeyStore;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API keys with roles, over real Redis and real sockets: the secret is answered once and kept only as its
 * SHA-256; a viewer reads but cannot write; an operator runs rollouts but cannot manage keys or create products;
 * an expired or revoked key is refused; the bootstrap key keeps working as admin.
 */
class ApiKeysTest extends RunningControlTest {

    private static String product;
    private static String task;

    @BeforeAll
    static void catalog() {
        product = ControlHarness.uniqueId("keys");
        control.createProduct(product);
        String fw = control.uploadFirmware(product, "2.0.0", new byte[64]).get("id").asText();
        task = control.createTask(product, "{\"firmwareId\":\"" + fw + "\"}").get("id").asText();
    }

    static JsonNode createKey(ControlHarness control, String name, String role) {
        HttpResponse<String> r = control.adminPost("/admin/v1/keys", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return ControlHarness.json(r);
    }

    static HttpResponse<String> as(ControlHarness control, String key, String method, String path, String json) {
        return control.send(HttpRequest.newBuilder(control.admin(path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    @Test
    void theSecretIsShownOnceAndStoredOnlyAsItsSha256() throws Exception {
        JsonNode created = createKey(control, "ci-pipeline", "operator");
        String id = created.get("id").asText();
        String key = created.get("key").asText();
        assertThat(key).startsWith("ota_k_" + id + "_").hasSize(6 + 12 + 1 + 43);
        assertThat(created.get("role").asText()).isEqualTo("operator");
        assertThat(created.get("createdBy").asText()).isEqualTo("bootstrap");

        HttpResponse<String> list = control.adminGet("/admin/v1/keys");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains(id).doesNotContain(key.substring(6 + 12 + 1));
        JsonNode listed = null;
        for (JsonNode k : ControlHarness.json(list).get("keys")) {
            if (k.get("id").asText().equals(id)) {
                listed = k;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.has("key")).isFalse();

        Map<String, String> stored = TestRedis.connector().async().hgetall(ApiKeyStore.key(id)).get();
        String secret = key.substring(key.lastIndexOf('_') + 1);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII)));
        assertThat(stored).containsEntry("sha256", sha).containsEntry("role", "operator").containsEntry("name", "ci-pipeline");
        assertThat(stored.values()).noneMatch(v -> v.contains(secret));
    }

    @Test
    void aViewerReadsButEveryWriteIs403NamingTheRoleNeeded() {
        String viewer = createKey(control, "dashboard", "viewer").get("key").asText();
        assertThat(as(control, viewer, "GET", "/admin/v1/tasks/" + task, null).statusCode()).isEqualTo(200);
        assertThat(as(control, viewer, "GET", "/admin/v1/tasks/" + task + "/progress", null).statusCode()).isEqualTo(200);

        HttpResponse<String> pause = as(control, viewer, "POST", "/admin/v1/tasks/" + task + "/pause", null);
        AdminApiTest.assertError(pause, 403, "forbidden");
        assertThat(ControlHarness.json(pause).get("message").asText()).contains("needs the operator role").contains("has viewer");
        HttpResponse<String> newProduct = as(control, viewer, "POST", "/admin/v1/products", "{\"productId\":\"v-p\",\"name\":\"n\"}");
        AdminApiTest.assertError(newProduct, 403, "forbidden");
        assertThat(ControlHarness.json(newProduct).get("message").asText()).contains("needs the admin role");
        AdminApiTest.assertError(as(control, viewer, "PUT", "/admin/v1/products/" + product + "/xiaozhi",
                "{\"timeZone\":\"UTC\"}"), 403, "forbidden");
        AdminApiTest.assertError(as(control, viewer, "GET", "/admin/v1/keys", null), 403, "forbidden");
        // Device credentials are not for viewers: the product's access key, a LuatOS project key.
        AdminApiTest.assertError(as(control, viewer, "GET", "/admin/v1/products/" + product, null), 403, "forbidden");
        AdminApiTest.assertError(as(control, viewer, "GET", "/admin/v1/products/" + product + "/luatos-key", null), 403, "forbidden");
        assertThat(as(control, viewer, "GET", "/admin/v1/products", null).body()).contains(product).doesNotContain("accessKey");
        assertThat(control.adminGet("/admin/v1/products/v-p").statusCode()).isEqualTo(404);
    }

    @Test
    void anOperatorRunsRolloutsButCannotCreateKeysOrProducts() {
        String operator = createKey(control, "release-bot", "operator").get("key").asText();
        HttpResponse<String> upload = control.send(HttpRequest.newBuilder(control.admin("/admin/v1/products/" + product
                        + "/firmwares?version=2.1.0")).header("Authorization", "Bearer " + operator)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[32])).build());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        assertThat(as(control, operator, "POST", "/admin/v1/tasks/" + task + "/pause", null).statusCode()).isEqualTo(200);
        assertThat(as(control, operator, "POST", "/admin/v1/tasks/" + task + "/resume", null).statusCode()).isEqualTo(200);
        assertThat(as(control, operator, "GET", "/admin/v1/products/" + product, null).body()).contains("accessKey");

        HttpResponse<String> key = as(control, operator, "POST", "/admin/v1/keys", "{\"name\":\"mine\",\"role\":\"admin\"}");
        AdminApiTest.assertError(key, 403, "forbidden");
        assertThat(ControlHarness.json(key).get("message").asText()).contains("needs the admin role").contains("has operator");
        AdminApiTest.assertError(as(control, operator, "POST", "/admin/v1/products", "{\"productId\":\"o-p\",\"name\":\"n\"}"),
                403, "forbidden");
        AdminApiTest.assertError(as(control, operator, "DELETE", "/admin/v1/keys/AAAAAAAAAAAA", null), 403, "forbidden");
    }

    @Test
    void anAdminKeyManagesKeysAndRevokingOneRefusesItAtOnce() {
        String admin = createKey(control, "second-admin", "admin").get("key").asText();
        JsonNode made = ControlHarness.json(as(control, admin, "POST", "/admin/v1/keys", "{\"name\":\"temp\",\"role\":\"viewer\"}"));
        String id = made.get("id").asText();
        assertThat(made.get("createdBy").asText()).isEqualTo(admin.substring(6, 18));
        assertThat(as(control, made.get("key").asText(), "GET", "/admin/v1/products", null).statusCode()).isEqualTo(200);
        assertThat(as(control, admin, "DELETE", "/admin/v1/keys/" + id, null).statusCode()).isEqualTo(204);
        HttpResponse<String> after = as(control, made.get("key").asText(), "GET", "/admin/v1/products", null);
        AdminApiTest.assertError(after, 401, "unauthorized");
        AdminApiTest.assertError(as(control, admin, "DELETE", "/admin/v1/keys/" + id, null), 404, "key_not_found");
        assertThat(control.adminGet("/admin/v1/keys").body()).doesNotContain(id);
    }

    @Test
    void aRevokedKeyIsRefusedAtOnceOnASecondControlInstance() {
        try (ControlHarness second = new ControlHarness("OTA_ADMIN_AUTH_FAILURES", "0")) {
            JsonNode made = createKey(control, "roaming", "viewer");
            String key = made.get("key").asText();
            assertThat(as(second, key, "GET", "/admin/v1/tasks/" + task, null).statusCode()).isEqualTo(200);
            assertThat(control.adminDelete("/admin/v1/keys/" + made.get("id").asText()).statusCode()).isEqualTo(204);
            AdminApiTest.assertError(as(second, key, "GET", "/admin/v1/tasks/" + task, null), 401, "unauthorized");
        }
    }

    @Test
    void anExpiredKeyIsRefusedAndNoLongerListed() throws Exception {
        JsonNode made = ControlHarness.json(control.adminPost("/admin/v1/keys",
                "{\"name\":\"short-lived\",\"role\":\"viewer\",\"expiresAt\":\"" + Instant.now().plusSeconds(3600) + "\"}"));
        String key = made.get("key").asText();
        assertThat(made.get("expiresAt").asText()).isNotEmpty();
        assertThat(as(control, key, "GET", "/admin/v1/products", null).statusCode()).isEqualTo(200);
        // Its hour passes: the record says so (Redis would delete it at the same moment).
        TestRedis.connector().async().hset(ApiKeyStore.key(made.get("id").asText()), "expiresAt",
                Instant.now().minusSeconds(1).toString()).get();
        AdminApiTest.assertError(as(control, key, "GET", "/admin/v1/products", null), 401, "unauthorized");
        assertThat(control.adminGet("/admin/v1/keys").body()).doesNotContain(made.get("id").asText());
    }

    @Test
    void aKeyOfTheRightShapeButAWrongSecretIsRefused() {
        String key = createKey(control, "victim", "admin").get("key").asText();
        String forged = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");
        AdminApiTest.assertError(as(control, forged, "GET", "/admin/v1/products", null), 401, "unauthorized");
    }

    @Test
    void badKeyRequestsAre400NamingTheField() {
        AdminApiTest.assertError(control.adminPost("/admin/v1/keys", "{\"name\":\"x\",\"role\":\"root\"}"), 400, "bad_request");
        AdminApiTest.assertError(control.adminPost("/admin/v1/keys", "{\"role\":\"viewer\"}"), 400, "bad_request");
        AdminApiTest.assertError(control.adminPost("/admin/v1/keys",
                "{\"name\":\"x\",\"role\":\"viewer\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}"), 400, "bad_request");
        AdminApiTest.assertError(control.adminPost("/admin/v1/keys", "{\"name\":\"x\",\"role\":\"viewer\",\"scope\":\"all\"}"),
                400, "unknown_field");
        AdminApiTest.assertError(control.adminDelete("/admin/v1/keys/not-a-key-id"), 404, "key_not_found");
    }
}
