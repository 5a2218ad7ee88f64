package io.otaedge.control.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.RunningControlTest;
import io.otaedge.control.dialect.onenet.OneNetAuthorization;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Products, tasks, token revocation, device lookup, authorization minting and the API's errors. */
class AdminApiTest extends RunningControlTest {

    static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = ControlHarness.json(r);
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).isNotBlank().doesNotContain("Exception", "\tat ");
    }

    // --- authentication ---

    @ParameterizedTest
    @ValueSource(strings = {"/admin/v1/products/x", "/admin/v1/tasks/x/progress", "/admin/v1/nowhere"})
    void aMissingAdminKeyIs401(String path) {
        HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.admin(path)).GET().build());
        assertError(r, 401, "unauthorized");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }

    @Test
    void aWrongAdminKeyIs401() {
        HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.admin("/admin/v1/products"))
                .header("Authorization", "Bearer " + control.adminKey + "x")
                .POST(HttpRequest.BodyPublishers.ofString("{\"productId\":\"p\",\"name\":\"n\"}")).build());
        assertError(r, 401, "unauthorized");
    }

    @Test
    void theKeyWithoutTheBearerSchemeIs401() {
        HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.admin("/admin/v1/products/x"))
                .header("Authorization", control.adminKey).GET().build());
        assertError(r, 401, "unauthorized");
    }

    @Test
    void anUnknownRouteIs404Json() {
        assertError(control.adminGet("/admin/v1/nowhere"), 404, "not_found");
        assertError(control.adminDelete("/admin/v1/products/x/nowhere"), 404, "not_found");
    }

    @Test
    void theClientKeepsWorkingAfterErrorsSentBeforeTheBodyWasRead() {
        String pid = ControlHarness.uniqueId("conn");
        control.createProduct(pid);
        for (int i = 0; i < 5; i++) {
            assertError(control.upload("none-such", "version=1.0", new byte[100]), 404, "product_not_found");
            assertError(control.upload(pid, "version=bad%20version", new byte[100]), 400, "invalid_version");
            assertError(control.send(HttpRequest.newBuilder(control.admin("/admin/v1/products"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build()), 401, "unauthorized");
            assertThat(control.adminGet("/admin/v1/products/" + pid).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void requestsAfterADeleteOnTheSameConnectionAreAnswered() {
        // A DELETE carries "Content-Length: 0"; answering it without settling the inbound once hung the
        // next request on the kept-alive connection.
        for (int i = 0; i < 50; i++) {
            assertError(control.adminDelete("/admin/v1/tokens/not-a-token"), 404, "token_not_found");
            assertThat(control.adminGet("/admin/v1/products/none-such").statusCode()).isEqualTo(404);
        }
    }

    // --- products ---

    @Test
    void createProductIs201WithA32ByteAccessKeyAndGetReturnsIt() {
        String id = ControlHarness.uniqueId("prod");
        HttpResponse<String> r = control.adminPost("/admin/v1/products", "{\"productId\":\"" + id + "\",\"name\":\"Demo\"}");
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode created = ControlHarness.json(r);
        assertThat(created.get("productId").asText()).isEqualTo(id);
        assertThat(created.get("name").asText()).isEqualTo("Demo");
        assertThat(Base64.getDecoder().decode(created.get("accessKey").asText())).hasSize(32);
        assertThat(created.get("createdAt").asText()).isNotBlank();

        HttpResponse<String> got = control.adminGet("/admin/v1/products/" + id);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(ControlHarness.json(got)).isEqualTo(created);
    }

    @Test
    void creatingAnExistingProductIs409() {
        String id = ControlHarness.uniqueId("dup");
        control.createProduct(id);
        assertError(control.adminPost("/admin/v1/products", "{\"productId\":\"" + id + "\",\"name\":\"Again\"}"), 409, "product_exists");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "{\"name\":\"n\"}", "{\"productId\":\"p\"}", "{\"productId\":7,\"name\":\"n\"}",
            "{\"productId\":\"has space\",\"name\":\"n\"}", "{\"productId\":\"a/b\",\"name\":\"n\"}"})
    void aBadProductBodyIs400(String body) {
        assertError(control.adminPost("/admin/v1/products", body), 400, "bad_request");
    }

    @Test
    void aProductIdOf65CharactersIs400() {
        assertError(control.adminPost("/admin/v1/products", "{\"productId\":\"" + "p".repeat(65) + "\",\"name\":\"n\"}"), 400, "bad_request");
    }

    @Test
    void anUnknownProductIs404() {
        assertError(control.adminGet("/admin/v1/products/none-such"), 404, "product_not_found");
    }

    // --- tasks ---

    @Test
    void createTaskIs201WithTheDocumentedDefaultsAndGetReturnsIt() {
        String pid = ControlHarness.uniqueId("task");
        control.createProduct(pid);
        String fw = control.uploadFirmware(pid, "2.0", new byte[] {1, 2, 3}).get("id").asText();
        HttpResponse<String> r = control.adminPost("/admin/v1/products/" + pid + "/tasks", "{\"firmwareId\":\"" + fw + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode task = ControlHarness.json(r);
        assertThat(task.get("id").asText()).startsWith("task_");
        assertThat(task.get("firmwareId").asText()).isEqualTo(fw);
        assertThat(task.get("type").asInt()).isEqualTo(1);
        assertThat(task.get("signal").asInt()).isZero();
        assertThat(task.get("power").asInt()).isZero();
        assertThat(task.get("retry").asInt()).isEqualTo(3);
        assertThat(task.get("interval").asInt()).isEqualTo(60);
        assertThat(task.get("sourceVersions")).isEmpty();
        assertThat(task.get("devices")).isEmpty();
        assertThat(task.get("status").asText()).isEqualTo("RUNNING");

        HttpResponse<String> got = control.adminGet("/admin/v1/tasks/" + task.get("id").asText());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(ControlHarness.json(got)).isEqualTo(task);
    }

    @Test
    void aTaskKeepsItsFiltersAndConditions() {
        String pid = ControlHarness.uniqueId("task");
        control.createProduct(pid);
        String fw = control.uploadFirmware(pid, "2.0", new byte[] {1}).get("id").asText();
        JsonNode task = control.createTask(pid, "{\"firmwareId\":\"" + fw + "\",\"sourceVersions\":[\"1.0\",\"1.1\"],"
                + "\"devices\":[6523,\"abc\"],\"type\":2,\"signal\":5,\"power\":20,\"retry\":1,\"interval\":30}");
        assertThat(task.get("sourceVersions").toString()).isEqualTo("[\"1.0\",\"1.1\"]");
        assertThat(task.get("devices").toString()).isEqualTo("[\"6523\",\"abc\"]");
        assertThat(task.get("type").asInt()).isEqualTo(2);
        assertThat(task.get("signal").asInt()).isEqualTo(5);
        assertThat(task.get("power").asInt()).isEqualTo(20);
        assertThat(task.get("retry").asInt()).isEqualTo(1);
        assertThat(task.get("interval").asInt()).isEqualTo(30);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"firmwareId\":\"fw_unknown\"}", "{\"firmwareId\":\"FW\",\"type\":3}",
            "{\"firmwareId\":\"FW\",\"sourceVersions\":\"1.0\"}", "{\"firmwareId\":\"FW\",\"sourceVersions\":[\"bad version\"]}",
            "{\"firmwareId\":\"FW\",\"devices\":[{}]}", "{\"firmwareId\":\"FW\",\"retry\":-1}", "{\"firmwareId\":\"FW\",\"power\":101}"})
    void aBadTaskBodyIs400(String body) {
        String pid = ControlHarness.uniqueId("task");
        control.createProduct(pid);
        String fw = control.uploadFirmware(pid, "2.0", new byte[] {1}).get("id").asText();
        assertError(control.adminPost("/admin/v1/products/" + pid + "/tasks", body.replace("FW", fw)), 400, "bad_request");
    }

    @Test
    void aTaskThatWouldDowngradeItsSourceVersionsMustSayRollback() {
        String pid = ControlHarness.uniqueId("task");
        control.createProduct(pid);
        String fw = control.uploadFirmware(pid, "2.0", new byte[] {1}).get("id").asText();
        HttpResponse<String> refused = control.adminPost("/admin/v1/products/" + pid + "/tasks",
                "{\"firmwareId\":\"" + fw + "\",\"sourceVersions\":[\"1.0\",\"2.01\"]}");
        assertError(refused, 400, "bad_request");
        assertThat(ControlHarness.json(refused).get("message").asText()).contains("2.01", "rollback");
        JsonNode task = control.createTask(pid, "{\"firmwareId\":\"" + fw + "\",\"sourceVersions\":[\"2.01\"],\"rollback\":true}");
        assertThat(task.get("rollback").asBoolean()).isTrue();
    }

    @Test
    void aTaskForAnUnknownProductIs404() {
        assertError(control.adminPost("/admin/v1/products/none-such/tasks", "{\"firmwareId\":\"fw_x\"}"), 404, "product_not_found");
    }

    @Test
    void anUnknownTaskIs404ForTheTaskAndItsProgress() {
        assertError(control.adminGet("/admin/v1/tasks/task_none"), 404, "task_not_found");
        assertError(control.adminGet("/admin/v1/tasks/task_none/progress"), 404, "task_not_found");
    }

    @Test
    void progressOfANewTaskCountsZeroInEveryState() {
        String pid = ControlHarness.uniqueId("prog");
        control.createProduct(pid);
        String fw = control.uploadFirmware(pid, "2.0", new byte[] {1}).get("id").asText();
        String taskId = control.createTask(pid, "{\"firmwareId\":\"" + fw + "\"}").get("id").asText();
        JsonNode p = ControlHarness.json(control.adminGet("/admin/v1/tasks/" + taskId + "/progress"));
        assertThat(p.get("taskId").asText()).isEqualTo(taskId);
        assertThat(p.get("total").asInt()).isZero();
        assertThat(p.get("counts").fieldNames()).toIterable()
                .containsExactly("TO_BE_UPGRADED", "DOWNLOADING", "DOWNLOADED", "UPGRADING", "SUCCEEDED", "FAILED");
        p.get("counts").forEach(n -> assertThat(n.asInt()).isZero());
        assertThat(p.get("devices")).isEmpty();
    }

    // --- tokens, devices, OneNET authorization ---

    @Test
    void revokingAnUnknownTokenIs404() {
        assertError(control.adminDelete("/admin/v1/tokens/ota_0000000000000000000000"), 404, "token_not_found");
        assertError(control.adminDelete("/admin/v1/tokens/not-a-token"), 404, "token_not_found");
    }

    @Test
    void anUnknownDeviceIs404() {
        String pid = ControlHarness.uniqueId("dev");
        control.createProduct(pid);
        assertError(control.adminGet("/admin/v1/products/" + pid + "/devices/123"), 404, "device_not_found");
    }

    @Test
    void oneNetAuthorizationIsSignedWithTheProductsKeyForAnHourByDefault() {
        String pid = ControlHarness.uniqueId("auth");
        String key = control.createProduct(pid);
        HttpResponse<String> r = control.adminPost("/admin/v1/products/" + pid + "/onenet-authorization", "{}");
        assertThat(r.statusCode()).isEqualTo(200);
        String header = ControlHarness.json(r).get("authorization").asText();
        long now = System.currentTimeMillis() / 1000;
        assertThat(OneNetAuthorization.verify(header, key, now)).isTrue();
        OneNetAuthorization.Parsed p = OneNetAuthorization.parse(header).orElseThrow();
        assertThat(p.res()).isEqualTo("products/" + pid);
        assertThat(p.et()).isBetween(now + 3590, now + 3610);
    }

    @Test
    void oneNetAuthorizationTakesResExpiresInAndMethod() {
        String pid = ControlHarness.uniqueId("auth");
        String key = control.createProduct(pid);
        HttpResponse<String> r = control.adminPost("/admin/v1/products/" + pid + "/onenet-authorization",
                "{\"res\":\"products/" + pid + "/devices/d1\",\"expiresIn\":\"PT5M\",\"method\":\"md5\"}");
        OneNetAuthorization.Parsed p = OneNetAuthorization.parse(ControlHarness.json(r).get("authorization").asText()).orElseThrow();
        assertThat(p.deviceName()).isEqualTo("d1");
        assertThat(p.method()).isEqualTo("md5");
        assertThat(p.et()).isBetween(System.currentTimeMillis() / 1000 + 290, System.currentTimeMillis() / 1000 + 310);
        assertThat(OneNetAuthorization.verify(p, key, System.currentTimeMillis() / 1000)).isTrue();
    }

    @Test
    void oneNetAuthorizationErrors() {
        String pid = ControlHarness.uniqueId("auth");
        control.createProduct(pid);
        String path = "/admin/v1/products/" + pid + "/onenet-authorization";
        assertError(control.adminPost(path, "{\"res\":\"products/other\"}"), 400, "bad_request");
        assertError(control.adminPost(path, "{\"expiresIn\":\"an hour\"}"), 400, "bad_request");
        assertError(control.adminPost(path, "{\"method\":\"sha512\"}"), 400, "bad_request");
        assertError(control.adminPost("/admin/v1/products/none-such/onenet-authorization", "{}"), 404, "product_not_found");
    }
}
