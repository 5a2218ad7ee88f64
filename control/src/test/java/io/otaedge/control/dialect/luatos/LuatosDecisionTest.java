package io.otaedge.control.dialect.luatos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control half of LuatOS libfota: the internal decision the edge asks for, fed with the queries
 * libfota builds (seeds/luatos-libfota.txt, PROTOCOLS.md). The edge half is tested end to end in standalone.
 */
class LuatosDecisionTest {

    static final String SECRET = "luatos-internal-secret-0123456789";
    static ControlHarness control;

    String product;
    String projectKey;
    String firmwareName;
    String firmwareId;

    @BeforeAll
    static void start() {
        control = new ControlHarness("OTA_INTERNAL_SECRET", SECRET);
    }

    @AfterAll
    static void stop() {
        control.close();
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    @BeforeEach
    void productWithATask() {
        product = ControlHarness.uniqueId("luat");
        control.createProduct(product);
        projectKey = ControlHarness.json(control.adminGet("/admin/v1/products/" + product + "/luatos-key")).get("projectKey").asText();
        firmwareName = product + "_LuatOS-SoC_EC618";
        firmwareId = control.uploadFirmware(product, "1001.0.2", "luatos image".getBytes(StandardCharsets.US_ASCII)).get("id").asText();
        control.createTask(product, "{\"firmwareId\":\"" + firmwareId + "\"}");
    }

    HttpResponse<String> decide(String query, String secret) {
        HttpRequest.Builder b = HttpRequest.newBuilder(control.admin("/internal/v1/luatos/decision?" + query)).GET();
        if (secret != null) {
            b.header("X-Ota-Internal-Secret", secret);
        }
        return control.send(b.build());
    }

    JsonNode decide(String query) {
        HttpResponse<String> r = decide(query, SECRET);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ControlHarness.json(r);
    }

    void refused(String query, int status, int code) {
        JsonNode d = decide(query);
        assertThat(d.get("upgrade").asBoolean()).as(d.toString()).isFalse();
        assertThat(d.get("status").asInt()).isEqualTo(status).isGreaterThanOrEqualTo(300);
        assertThat(d.get("code").asInt()).isEqualTo(code);
        assertThat(d.get("reason").asText()).startsWith(code + " ");
    }

    @Test
    void libfotasQueryGetsTheDevicesGrantAndTheSameOneWhenRepeated() {
        // libfota's order: project_key, firmware_name, version, then the device.
        String q = "project_key=" + projectKey + "&firmware_name=" + firmwareName + "&version=1001.0.1&imei=861551056421746";
        JsonNode d = decide(q);
        assertThat(d.get("upgrade").asBoolean()).isTrue();
        JsonNode grant = d.get("grant");
        assertThat(grant.get("firmwareId").asText()).isEqualTo(firmwareId);
        assertThat(grant.get("deviceId").asText()).isEqualTo("861551056421746");
        assertThat(grant.get("version").asText()).isEqualTo("1001.0.2");
        assertThat(grant.get("token").asText()).startsWith("ota_");
        // libfota2 puts the device first and adds the C SDK's extras: parsed by name, same token.
        JsonNode again = decide("imei=861551056421746&project_key=" + projectKey + "&firmware_name=" + firmwareName
                + "&version=1001.0.1&device_key=dk&core_version=V1001&dfota=1&need_oss_url=1");
        assertThat(again.get("grant").get("token").asText()).isEqualTo(grant.get("token").asText());
    }

    @Test
    void aBoardPlatformWithItsOwnTaskGetsItsOwnImageAndTheOthersTheDefault() {
        String ec = control.uploadPackage(product, "1001.0.2", "module=EC618", "ec618 image".getBytes(StandardCharsets.US_ASCII))
                .get("id").asText();
        control.createTask(product, "{\"firmwareId\":\"" + ec + "\"}");
        String base = "project_key=" + projectKey + "&version=1001.0.1&firmware_name=";
        assertThat(decide(base + product + "_LuatOS-SoC_EC618&imei=11").get("grant").get("firmwareId").asText()).isEqualTo(ec);
        assertThat(decide(base + product + "_LuatOS-SoC_ec618&imei=12").get("grant").get("firmwareId").asText()).isEqualTo(ec);
        // Another platform, or none named: the product's default image.
        assertThat(decide(base + product + "_LuatOS-SoC_Air101&imei=13").get("grant").get("firmwareId").asText()).isEqualTo(firmwareId);
        assertThat(decide(base + product + "&imei=14").get("grant").get("firmwareId").asText()).isEqualTo(firmwareId);
        // The device's version is stored for the module its image comes from.
        JsonNode device = ControlHarness.json(control.adminGet("/admin/v1/products/" + product + "/devices/11"));
        assertThat(device.get("version:EC618").asText()).isEqualTo("1001.0.1");
    }

    @Test
    void macAndUidIdentifyDevicesToo() {
        String base = "project_key=" + projectKey + "&firmware_name=" + firmwareName + "&version=1001.0.1";
        assertThat(decide(base + "&mac=C8C9A3000001").get("grant").get("deviceId").asText()).isEqualTo("c8c9a3000001");
        assertThat(decide(base + "&uid=0123ABCD").get("grant").get("deviceId").asText()).isEqualTo("0123abcd");
    }

    @Test
    void everyRefusalIsAStatusOf300OrMoreWithALuatCode() {
        String base = "project_key=" + projectKey + "&firmware_name=" + firmwareName;
        refused(base + "&version=1001.0.2&imei=1", 404, 27);
        refused(base + "&version=1.2&imei=1", 400, 26);
        refused(base + "&version=v1.0.0&imei=1", 400, 26);
        refused(base + "&version=1001.0.1", 400, 3);
        refused("firmware_name=" + firmwareName + "&version=1001.0.1&imei=1", 404, 25);
        refused("project_key=" + projectKey + "&version=1001.0.1&imei=1", 400, 26);
        refused("project_key=0000&firmware_name=" + firmwareName + "&version=1001.0.1&imei=1", 403, 17);
        refused("project_key=" + projectKey + "&firmware_name=nosuch_LuatOS-SoC_EC618&version=1001.0.1&imei=1", 403, 17);
        // A device the only task does not target.
        String other = ControlHarness.uniqueId("luat");
        control.createProduct(other);
        String key = ControlHarness.json(control.adminGet("/admin/v1/products/" + other + "/luatos-key")).get("projectKey").asText();
        refused("project_key=" + key + "&firmware_name=" + other + "_LuatOS-SoC_EC618&version=1001.0.1&imei=1", 404, 21);
    }

    JsonNode decideResuming(String query, String firstByte) {
        HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.admin("/internal/v1/luatos/decision?" + query))
                .header("X-Ota-Internal-Secret", SECRET).header("X-OTA-Resume", firstByte).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ControlHarness.json(r);
    }

    @Test
    void aResumeKeepsTheGrantBeingDownloadedWhileAFreshRequestTakesTheNewerTask() {
        String q = "project_key=" + projectKey + "&firmware_name=" + firmwareName + "&version=1001.0.1&imei=861551056421760";
        JsonNode a = decide(q).get("grant");
        assertThat(a.get("firmwareId").asText()).isEqualTo(firmwareId);
        String newer = control.uploadFirmware(product, "1001.0.3", "newer image".getBytes(StandardCharsets.US_ASCII))
                .get("id").asText();
        control.createTask(product, "{\"firmwareId\":\"" + newer + "\"}");

        JsonNode resumed = decideResuming(q, "4096");
        assertThat(resumed.get("upgrade").asBoolean()).isTrue();
        assertThat(resumed.get("grant").get("token").asText()).isEqualTo(a.get("token").asText());
        assertThat(resumed.get("grant").get("firmwareId").asText()).isEqualTo(firmwareId);
        // From byte 0 (or a header that names no byte) is a fresh download: the newest task applies.
        assertThat(decideResuming(q, "0").get("grant").get("firmwareId").asText()).isEqualTo(newer);
        assertThat(decideResuming(q, "x").get("grant").get("firmwareId").asText()).isEqualTo(newer);
        // Once offered the newer task, that is the one a resume continues.
        assertThat(decideResuming(q, "4096").get("grant").get("firmwareId").asText()).isEqualTo(newer);
    }

    @Test
    void aResumeWithoutAGrantToKeepDecidesAsUsual() {
        String q = "project_key=" + projectKey + "&firmware_name=" + firmwareName + "&version=1001.0.1&imei=861551056421761";
        // Never offered anything: the usual decision.
        assertThat(decideResuming(q, "4096").get("grant").get("firmwareId").asText()).isEqualTo(firmwareId);
        // Its task stopped: the usual decision, here no task at all.
        String taskId = ControlHarness.json(control.adminGet("/admin/v1/products/" + product + "/tasks"))
                .get("items").get(0).get("id").asText();
        assertThat(control.adminPost("/admin/v1/tasks/" + taskId + "/stop", "{}").statusCode()).isEqualTo(200);
        String key = "project_key=" + projectKey + "&firmware_name=" + firmwareName;
        JsonNode stopped = decideResuming(key + "&version=1001.0.1&imei=861551056421761", "4096");
        assertThat(stopped.get("upgrade").asBoolean()).as(stopped.toString()).isFalse();
        assertThat(stopped.get("code").asInt()).isEqualTo(21);
    }

    @Test
    void aResumeOnTheTargetVersionIsNoResume() {
        String q = "project_key=" + projectKey + "&firmware_name=" + firmwareName + "&imei=861551056421762";
        assertThat(decide(q + "&version=1001.0.1").get("upgrade").asBoolean()).isTrue();
        // The device already runs the image it was offered: nothing to resume, it is up to date.
        JsonNode d = decideResuming(q + "&version=1001.0.2", "4096");
        assertThat(d.get("upgrade").asBoolean()).as(d.toString()).isFalse();
        assertThat(d.get("code").asInt()).isEqualTo(27);
    }

    @Test
    void aQueryWithABrokenEscapeIsTheDevicesError400NotTheStores503() {
        ControlHarness.RawResponse r = control.rawAdmin("GET", "/internal/v1/luatos/decision?project_key=%zz&version=1.0.0",
                null, null, "X-OTA-Internal-Secret: " + SECRET);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("upgrade").asBoolean()).isFalse();
        assertThat(r.json().get("status").asInt()).isEqualTo(400);
        assertThat(r.json().get("code").asInt()).isEqualTo(26);
    }

    @Test
    void theInternalEndpointNeedsTheSecret() {
        String q = "project_key=" + projectKey + "&firmware_name=" + firmwareName + "&version=1001.0.1&imei=1";
        assertThat(decide(q, null).statusCode()).isEqualTo(401);
        assertThat(decide(q, "wrong").statusCode()).isEqualTo(401);
        assertThat(decide(q, "Bearer " + control.adminKey).statusCode()).isEqualTo(401);
    }
}
