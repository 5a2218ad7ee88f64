package io.otaedge.control.dialect.hawkbit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.testing.Await;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DDI resources over real sockets and the project's Redis: tokens and their modes, hawkBit's
 * {@code ExceptionInfo} errors, feedback onto the state machine, configData's modes, installedBase, the poll's
 * {@code ?c=} and the device limit. The bodies are hawkBit's ({@code hawkbit-ddi-api}: {@code DdiActionFeedback},
 * {@code DdiConfigData} with {@code DdiUpdateMode}) as SWUpdate 2022.12 writes them (github.com/sbabic/swupdate,
 * tag 2022.12, {@code suricatta/server_hawkbit.c}).
 */
class HawkbitDdiTest {

    static ControlHarness control;

    @BeforeAll
    static void start() {
        control = new ControlHarness();
    }

    @AfterAll
    static void stop() {
        control.close();
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    /** A product with both token modes on. */
    static String tenant(String prefix, boolean target, boolean gateway) {
        String product = ControlHarness.uniqueId(prefix);
        control.createProduct(product);
        HttpResponse<String> r = control.adminPut("/admin/v1/products/" + product + "/hawkbit",
                "{\"pollingSleep\":\"00:00:30\",\"targetTokenAuth\":" + target + ",\"gatewayTokenAuth\":" + gateway + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return product;
    }

    static String targetToken(String product, String device) {
        HttpResponse<String> r = control.adminPost("/admin/v1/products/" + product + "/hawkbit/devices/" + device + "/target-token", "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return ControlHarness.json(r).get("targetToken").asText();
    }

    static String gatewayToken(String product) {
        HttpResponse<String> r = control.adminPost("/admin/v1/products/" + product + "/hawkbit/gateway-token", "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return ControlHarness.json(r).get("gatewayToken").asText();
    }

    static String base(String product, String device) {
        return "/" + product + "/controller/v1/" + device;
    }

    static HttpResponse<String> get(String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(control.device(path)).header("Accept", "application/hal+json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return control.send(b.GET().build());
    }

    static HttpResponse<String> send(String method, String path, String authorization, String json) {
        return control.send(HttpRequest.newBuilder(control.device(path)).header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static JsonNode json(HttpResponse<String> r) {
        return ControlHarness.json(r);
    }

    static void assertExceptionInfo(HttpResponse<String> r, int status, String errorCode) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = json(r);
        assertThat(body.get("errorCode").asText()).isEqualTo(errorCode);
        assertThat(body.get("exceptionClass").asText()).isNotBlank();
        assertThat(body.get("message").asText()).isNotBlank();
    }

    /** SWUpdate's feedback body ({@code json_hawkbit_deployment_feedback}: {@code id} and {@code time} as well). */
    static String feedback(String execution, String finished, int cnt, int of, String detail) {
        return """
                { "id": "1", "time": "20260101T120000", "status": { "result": { "progress": { "cnt" : %d, "of" : %d },
                  "finished": "%s" }, "execution": "%s", "details" : [ "%s" ] } }""".formatted(cnt, of, finished, execution, detail);
    }

    /** A firmware of {@code version} and a task for it; the task id. */
    static String release(String product, String version) {
        JsonNode fw = control.uploadFirmware(product, version, ("image " + version).repeat(1000).getBytes(StandardCharsets.US_ASCII));
        return control.createTask(product, "{\"firmwareId\":\"" + fw.get("id").asText() + "\"}").get("id").asText();
    }

    /** The deploymentBase link a poll hands out; fails when there is none. */
    static String deploymentLink(String product, String device, String auth) {
        HttpResponse<String> poll = get(base(product, device), auth);
        assertThat(poll.statusCode()).as(poll.body()).isEqualTo(200);
        String href = json(poll).path("_links").path("deploymentBase").path("href").asText();
        assertThat(href).as(poll.body()).isNotEmpty();
        return href.substring(href.indexOf(base(product, device)));
    }

    static long actionOf(String link) {
        Matcher m = Pattern.compile("/deploymentBase/([0-9]+)").matcher(link);
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    static String state(String taskId, String device) {
        JsonNode progress = json(control.adminGet("/admin/v1/tasks/" + taskId + "/progress"));
        for (JsonNode row : progress.path("devices")) {
            if (device.equals(row.path("deviceId").asText())) {
                return row.path("state").asText();
            }
        }
        return null;
    }

    static JsonNode deviceView(String product, String device) {
        return json(control.adminGet("/admin/v1/products/" + product + "/devices/" + device));
    }

    @Test
    void aCallWithoutAWrongOrADisabledTokenIs401InHawkbitsShape() {
        String product = tenant("hbauth", true, false);
        String token = targetToken(product, "dev-1");
        assertExceptionInfo(get(base(product, "dev-1"), null), 401, "hawkbit.server.error.insufficientPermission");
        assertExceptionInfo(get(base(product, "dev-1"), "TargetToken " + token + "x"), 401, "hawkbit.server.error.insufficientPermission");
        // Another device's token opens only that device.
        assertExceptionInfo(get(base(product, "dev-2"), "TargetToken " + token), 401, "hawkbit.server.error.insufficientPermission");
        assertThat(get(base(product, "dev-1"), "TargetToken " + token).statusCode()).isEqualTo(200);

        // The token kind switched off: the same token no longer opens anything.
        control.adminPut("/admin/v1/products/" + product + "/hawkbit", "{\"targetTokenAuth\":false,\"gatewayTokenAuth\":true}");
        assertExceptionInfo(get(base(product, "dev-1"), "TargetToken " + token), 401, "hawkbit.server.error.insufficientPermission");
        // Revoked: gone even when the kind is back on.
        control.adminPut("/admin/v1/products/" + product + "/hawkbit", "{\"targetTokenAuth\":true}");
        assertThat(control.adminDelete("/admin/v1/products/" + product + "/hawkbit/devices/dev-1/target-token").statusCode()).isEqualTo(204);
        assertExceptionInfo(get(base(product, "dev-1"), "TargetToken " + token), 401, "hawkbit.server.error.insufficientPermission");
    }

    @Test
    void settingsChangedThroughAnotherControlInstanceApplyHereWithinTheCacheTtl() {
        String product = tenant("hbttl", true, false);
        String token = targetToken(product, "dev-1");
        try (ControlHarness other = new ControlHarness(control.redis, "OTA_CATALOG_CACHE_TTL", "PT1S")) {
            HttpResponse<String> before = other.send(HttpRequest.newBuilder(other.device(base(product, "dev-1")))
                    .header("Authorization", "TargetToken " + token).build());
            assertThat(before.statusCode()).as("the settings now cached on the other instance").isEqualTo(200);
            control.adminPut("/admin/v1/products/" + product + "/hawkbit", "{\"targetTokenAuth\":false}");
            assertThat(get(base(product, "dev-1"), "TargetToken " + token).statusCode()).as("at once where saved").isEqualTo(401);
            Await.until(Duration.ofSeconds(5), () -> other.send(HttpRequest.newBuilder(other.device(base(product, "dev-1")))
                    .header("Authorization", "TargetToken " + token).build()).statusCode() == 401, "the change seen by the other instance");
        }
    }

    @Test
    void aGatewayTokenOpensEveryControllerOfItsProductAndNoOther() {
        String product = tenant("hbgw", false, true);
        String other = tenant("hbgwo", false, true);
        String token = gatewayToken(product);
        gatewayToken(other);
        for (String device : new String[] {"gw-a", "gw-b", "gw-c"}) {
            HttpResponse<String> r = get(base(product, device), "GatewayToken " + token);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            // The product's 30 s, moved by the device's own jitter (±20 %, task.Jitter): 24 to 36 s.
            assertThat(json(r).path("config").path("polling").path("sleep").asText()).matches("00:00:(2[4-9]|3[0-6])");
            // The same device is told the same at every poll.
            assertThat(json(get(base(product, device), "GatewayToken " + token)).at("/config/polling/sleep").asText())
                    .isEqualTo(json(r).at("/config/polling/sleep").asText());
        }
        assertExceptionInfo(get(base(other, "gw-a"), "GatewayToken " + token), 401, "hawkbit.server.error.insufficientPermission");
        // An unknown tenant is refused like a bad token: a caller learns nothing about which tenants exist.
        assertExceptionInfo(get(base("no-such-tenant", "gw-a"), "GatewayToken " + token), 401,
                "hawkbit.server.error.insufficientPermission");
    }

    @Test
    void anUnknownActionIs404AndABadFeedbackBodyIs400() {
        String product = tenant("hb404", true, false);
        String auth = "TargetToken " + targetToken(product, "dev-1");
        assertExceptionInfo(get(base(product, "dev-1") + "/deploymentBase/999", auth), 404, "hawkbit.server.error.repo.entityNotFound");
        assertExceptionInfo(get(base(product, "dev-1") + "/deploymentBase/not-a-number", auth), 404,
                "hawkbit.server.error.repo.entityNotFound");
        assertExceptionInfo(get(base(product, "dev-1") + "/cancelAction/5", auth), 404, "hawkbit.server.error.repo.entityNotFound");
        assertExceptionInfo(get(base(product, "dev-1") + "/installedBase/5", auth), 404, "hawkbit.server.error.repo.entityNotFound");

        String taskId = release(product, "2.0.0");
        String feedback = base(product, "dev-1") + "/deploymentBase/" + actionOf(deploymentLink(product, "dev-1", auth)) + "/feedback";
        assertExceptionInfo(send("POST", feedback, auth, "{not json"), 400, "hawkbit.server.error.rest.body.notReadable");
        assertExceptionInfo(send("POST", feedback, auth, "{\"status\":{\"execution\":\"finished\"}}"), 400,
                "hawkbit.server.error.rest.body.notReadable");
        assertExceptionInfo(send("PUT", base(product, "dev-1") + "/configData", auth, "{\"data\":{\"a\":\"b\"},\"mode\":\"upsert\"}"),
                400, "hawkbit.server.error.rest.body.notReadable");
        assertThat(state(taskId, "dev-1")).isEqualTo("TO_BE_UPGRADED");
    }

    @Test
    void feedbackMovesTheDeviceThroughItsStates() {
        String product = tenant("hbfb", true, false);
        String taskId = release(product, "2.0.0");
        String auth = "TargetToken " + targetToken(product, "dev-ok");
        String feedback = deploymentLink(product, "dev-ok", auth).replaceFirst("\\?.*$", "") + "/feedback";

        assertThat(send("POST", feedback, auth, feedback("proceeding", "none", 0, 0, "Installing")).statusCode()).isEqualTo(200);
        assertThat(state(taskId, "dev-ok")).isEqualTo("DOWNLOADING");
        assertThat(send("POST", feedback, auth, feedback("downloaded", "none", 0, 0, "")).statusCode()).isEqualTo(200);
        assertThat(state(taskId, "dev-ok")).isEqualTo("DOWNLOADED");
        assertThat(send("POST", feedback, auth, feedback("proceeding", "none", 1, 1, "All Chunks Installed.")).statusCode())
                .isEqualTo(200);
        assertThat(state(taskId, "dev-ok")).isEqualTo("UPGRADING");
        assertThat(send("POST", feedback, auth, feedback("closed", "success", 1, 1, "")).statusCode()).isEqualTo(200);
        assertThat(state(taskId, "dev-ok")).isEqualTo("SUCCEEDED");

        String failAuth = "TargetToken " + targetToken(product, "dev-fail");
        String failFeedback = deploymentLink(product, "dev-fail", failAuth).replaceFirst("\\?.*$", "") + "/feedback";
        assertThat(send("POST", failFeedback, failAuth, feedback("closed", "failure", 0, 1, "ERROR: no space")).statusCode())
                .isEqualTo(200);
        assertThat(state(taskId, "dev-fail")).isEqualTo("FAILED");

        String rejectAuth = "TargetToken " + targetToken(product, "dev-no");
        String rejectFeedback = deploymentLink(product, "dev-no", rejectAuth).replaceFirst("\\?.*$", "") + "/feedback";
        assertThat(send("POST", rejectFeedback, rejectAuth, feedback("rejected", "none", 0, 0, "user said no")).statusCode())
                .isEqualTo(200);
        assertThat(state(taskId, "dev-no")).isEqualTo("FAILED");
    }

    @Test
    void configDataMergesReplacesAndRemovesAttributes() {
        String product = tenant("hbcfg", true, false);
        String auth = "TargetToken " + targetToken(product, "dev-1");
        String config = base(product, "dev-1") + "/configData";
        assertThat(json(get(base(product, "dev-1"), auth)).path("_links").has("configData")).isTrue();

        // SWUpdate's json_hawkbit_config_data: no mode (merge), with its id, time and status.
        assertThat(send("PUT", config, auth, """
                { "id": "", "time": "20260101T120000", "status": { "result": { "finished": "success" },
                  "execution": "closed", "details" : [ "" ] }, "data" : { "hwId": "board-a", "model": "m1" } }""")
                .statusCode()).isEqualTo(200);
        assertThat(json(get(base(product, "dev-1"), auth)).path("_links").has("configData")).as("asked until sent").isFalse();
        assertThat(send("PUT", config, auth, "{\"mode\":\"merge\",\"data\":{\"model\":\"m2\",\"mac\":\"AA:BB\"}}").statusCode())
                .isEqualTo(200);
        assertThat(attributes(product, "dev-1")).isEqualTo(Map.of("attr:hwId", "board-a", "attr:model", "m2", "attr:mac", "AA:BB"));

        assertThat(send("PUT", config, auth, "{\"mode\":\"remove\",\"data\":{\"mac\":\"\",\"absent\":\"\"}}").statusCode()).isEqualTo(200);
        assertThat(attributes(product, "dev-1")).isEqualTo(Map.of("attr:hwId", "board-a", "attr:model", "m2"));

        assertThat(send("PUT", config, auth, "{\"mode\":\"replace\",\"data\":{\"serial\":\"S-1\"}}").statusCode()).isEqualTo(200);
        assertThat(attributes(product, "dev-1")).isEqualTo(Map.of("attr:serial", "S-1"));
        // Only the attributes went: the device's other fields stay.
        assertThat(control.redis.sync().hgetall(RedisKeys.device(product, "dev-1"))).containsKey("attr:serial").hasSizeGreaterThan(1);
    }

    static Map<String, String> attributes(String product, String device) {
        Map<String, String> all = control.redis.sync().hgetall(RedisKeys.device(product, device));
        all.keySet().removeIf(k -> !k.startsWith(HawkbitStore.ATTRIBUTE_PREFIX));
        return all;
    }

    @Test
    void installedBaseAnswersOnceTheActionFinishedWithSuccess() {
        String product = tenant("hbinst", true, false);
        release(product, "2.0.0");
        String auth = "TargetToken " + targetToken(product, "dev-1");
        long action = actionOf(deploymentLink(product, "dev-1", auth));
        String installed = base(product, "dev-1") + "/installedBase/" + action;
        assertExceptionInfo(get(installed, auth), 404, "hawkbit.server.error.repo.entityNotFound");

        send("POST", base(product, "dev-1") + "/deploymentBase/" + action + "/feedback", auth, feedback("closed", "success", 1, 1, ""));
        HttpResponse<String> r = get(installed, auth);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("id").asText()).isEqualTo(Long.toString(action));
        JsonNode artifact = body.path("deployment").path("chunks").get(0).path("artifacts").get(0);
        assertThat(body.path("deployment").path("chunks").get(0).path("version").asText()).isEqualTo("2.0.0");
        assertThat(artifact.has("_links")).as("its token is gone").isFalse();
        assertThat(artifact.path("hashes").path("sha1").asText()).hasSize(40);
        // Done: the poll offers nothing more.
        assertThat(json(get(base(product, "dev-1"), auth)).path("_links").has("deploymentBase")).isFalse();
    }

    @Test
    void theDeploymentLinksHashChangesWithTheAction() {
        String product = tenant("hbhash", true, false);
        release(product, "2.0.0");
        String auth = "TargetToken " + targetToken(product, "dev-1");
        String first = deploymentLink(product, "dev-1", auth);
        assertThat(deploymentLink(product, "dev-1", auth)).as("the same action, the same link").isEqualTo(first);

        send("POST", first.replaceFirst("\\?.*$", "") + "/feedback", auth, feedback("closed", "success", 1, 1, ""));
        release(product, "3.0.0");
        String second = deploymentLink(product, "dev-1", auth);
        assertThat(actionOf(second)).isEqualTo(actionOf(first) + 1);
        assertThat(second.replaceFirst("^.*\\?c=", "")).isNotEqualTo(first.replaceFirst("^.*\\?c=", "")).matches("[0-9a-f]{12}");
        HttpResponse<String> deployment = get(second, auth);
        assertThat(json(deployment).path("deployment").path("chunks").get(0).path("version").asText()).isEqualTo("3.0.0");
    }

    @Test
    void pollsOverTheDeviceLimitAre429WithRetryAfterInHawkbitsShape() {
        String product = tenant("hbrate", true, false);
        String auth = "TargetToken " + targetToken(product, "dev-busy");
        HttpResponse<String> last = null;
        for (int i = 0; i < 40; i++) {
            last = get(base(product, "dev-busy"), auth);
            if (last.statusCode() != 200) {
                break;
            }
        }
        assertExceptionInfo(last, 429, "hawkbit.server.error.quota.tooManyEntries");
        assertThat(Long.parseLong(last.headers().firstValue("Retry-After").orElseThrow())).isPositive();
    }

    @Test
    void aPackageStoredWithoutSha1GetsItFromItsBlobOnceAndKeepsIt() throws Exception {
        String product = tenant("hbsha", true, false);
        byte[] bytes = "an image uploaded before SHA-1 was kept\n".repeat(5000).getBytes(StandardCharsets.US_ASCII);
        JsonNode fw = control.uploadFirmware(product, "2.0.0", bytes);
        String firmwareKey = RedisKeys.firmware(product, fw.get("id").asText());
        ObjectNode old = (ObjectNode) Json.mapper().readTree(control.redis.sync().get(firmwareKey));
        old.remove("sha1");
        control.redis.sync().set(firmwareKey, Json.string(old));
        control.createTask(product, "{\"firmwareId\":\"" + fw.get("id").asText() + "\"}");

        String auth = "TargetToken " + targetToken(product, "dev-1");
        HttpResponse<String> deployment = get(deploymentLink(product, "dev-1", auth), auth);
        assertThat(deployment.statusCode()).as(deployment.body()).isEqualTo(200);
        String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        assertThat(json(deployment).path("deployment").path("chunks").get(0).path("artifacts").get(0).path("hashes").path("sha1").asText())
                .isEqualTo(sha1);
        assertThat(Json.mapper().readTree(control.redis.sync().get(firmwareKey)).path("sha1").asText()).as("kept on the record")
                .isEqualTo(sha1);
        assertThat(json(control.adminGet("/admin/v1/products/" + product + "/firmwares/" + fw.get("id").asText())).path("sha1").asText())
                .isEqualTo(sha1);
    }
}
