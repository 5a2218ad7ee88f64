package io.otaedge.control.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.metrics.PrometheusText;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every dialect moves {@code ota_control_checks_total} and {@code ota_control_progress_reports_total} under its
 * own {@code dialect} label (docs/METRICS.md): one check that is offered an upgrade, then one progress report in
 * the dialect's own terms, over real HTTP; no other dialect's meters move. xiaozhi and LuatOS devices have no
 * progress call: their report is the check on the target version that completes their task.
 */
class DialectMetersTest {

    static final String SECRET = "dialect-meters-internal-secret";
    static final String TARGET = "1.0.1";

    static ControlHarness control;
    String product;
    String accessKey;

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
        product = ControlHarness.uniqueId("meters");
        accessKey = control.createProduct(product);
        JsonNode fw = control.uploadFirmware(product, TARGET, "dialect meters".getBytes(StandardCharsets.US_ASCII));
        control.createTask(product, "{\"firmwareId\":\"" + fw.get("id").asText() + "\"}");
    }

    @Test
    void oneNetCountsItsCheckAndItsProgressCall() {
        assertMoves("onenet", () -> {
            String auth = ControlHarness.authorization(accessKey, product);
            JsonNode offer = control.checkJson(auth, ControlHarness.seedBody(7, "1.0.0"));
            assertThat(offer.get("errno").asInt()).as(offer.toString()).isZero();
            String token = offer.get("data").get("token").asText();
            HttpResponse<String> progress = control.send(HttpRequest.newBuilder(
                            control.device("/ota/south/device/download/" + token + "/progress?dev_id=7"))
                    .header("Authorization", auth).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"step\":40}")).build());
            assertThat(ControlHarness.json(progress).get("errno").asInt()).as(progress.body()).isZero();
        });
    }

    @Test
    void xiaozhiCountsItsCheckAndTheCheckOnTheTargetThatCompletesItsTask() {
        assertMoves("xiaozhi", 2, () -> {
            HttpResponse<String> offer = control.xiaozhiOta(product, "aa:bb:cc:dd:ee:01", "1.0.0");
            assertThat(ControlHarness.json(offer).get("firmware").has("url")).as(offer.body()).isTrue();
            HttpResponse<String> done = control.xiaozhiOta(product, "aa:bb:cc:dd:ee:01", TARGET);
            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        });
    }

    @Test
    void fogCountsItsCheckAndItsVersionReport() {
        String auth = ControlHarness.json(control.adminPost("/admin/v1/products/" + product + "/fog-token", ""))
                .get("authorization").asText();
        assertMoves("fog", () -> {
            HttpResponse<String> check = control.send(HttpRequest.newBuilder(control.device("/api/v1/ota/device/?product_id="
                    + product + "&wifi_version=1.0.0&mcu_version=1.0.0&device_id=dev-1")).header("Authorization", auth).GET().build());
            assertThat(ControlHarness.json(check).get("data").get("need_ota").asBoolean()).as(check.body()).isTrue();
            HttpResponse<String> version = control.send(HttpRequest.newBuilder(control.device("/api/v1/ota/version/"))
                    .header("Authorization", auth).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(
                            "{\"device_id\":\"dev-1\",\"wifi_version\":\"1.0.0\",\"mcu_version\":\"" + TARGET + "\"}")).build());
            assertThat(ControlHarness.json(version).get("meta").get("code").asInt()).as(version.body()).isZero();
        });
    }

    @Test
    void aliyunCountsItsFileGetAndItsProgressReport() {
        String iotToken = ControlHarness.json(control.adminGet("/admin/v1/products/" + product + "/aliyun-token"))
                .get("iotToken").asText();
        String device = "\"productKey\":\"" + product + "\",\"deviceName\":\"dn-1\"";
        assertMoves("aliyun", () -> {
            JsonNode file = aliyun("/living/ota/firmware/file/get", iotToken, "{" + device + ",\"currentVersion\":\"1.0.0\"}");
            assertThat(file.get("data").get("url").asText()).as(file.toString()).isNotEmpty();
            JsonNode report = aliyun("/living/ota/progress/report", iotToken,
                    "{" + device + ",\"firmwareVersion\":\"" + TARGET + "\",\"step\":\"10\"}");
            assertThat(report.get("code").asInt()).as(report.toString()).isEqualTo(200);
        });
    }

    @Test
    void luatosCountsItsDecisionAndTheDecisionOnTheTargetThatCompletesItsTask() {
        String projectKey = ControlHarness.json(control.adminGet("/admin/v1/products/" + product + "/luatos-key"))
                .get("projectKey").asText();
        String query = "project_key=" + projectKey + "&firmware_name=" + product + "_LuatOS-SoC_EC618&imei=861551056421746&version=";
        assertMoves("luatos", 2, () -> {
            assertThat(luatos(query + "1.0.0").get("upgrade").asBoolean()).isTrue();
            assertThat(luatos(query + TARGET).get("upgrade").asBoolean()).isFalse();
        });
    }

    private static JsonNode aliyun(String path, String iotToken, String params) {
        return ControlHarness.json(control.send(HttpRequest.newBuilder(control.device(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"1\",\"version\":\"1.0\",\"request\":{\"apiVer\":\"1.0.0\",\"iotToken\":\""
                        + iotToken + "\"},\"params\":" + params + "}")).build()));
    }

    private static JsonNode luatos(String query) {
        HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.admin("/internal/v1/luatos/decision?" + query))
                .header("X-OTA-Internal-Secret", SECRET).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ControlHarness.json(r);
    }

    /** One check offered an upgrade and one progress report, as {@code calls} made them, under {@code dialect} only. */
    private static void assertMoves(String dialect, Runnable calls) {
        assertMoves(dialect, 1, calls);
    }

    /**
     * As {@link #assertMoves(String, Runnable)}, for {@code calls} that make {@code checks} checks: the first is offered
     * the upgrade, the next reports the target version (no upgrade, and the device's progress report).
     */
    private static void assertMoves(String dialect, int checks, Runnable calls) {
        PrometheusText before = scrape();
        calls.run();
        PrometheusText after = scrape();
        assertThat(delta(before, after, "ota_control_checks_total", Map.of("dialect", dialect, "outcome", "upgrade"))).isEqualTo(1);
        assertThat(delta(before, after, "ota_control_checks_total", Map.of("dialect", dialect, "outcome", "no_task")))
                .isEqualTo(checks - 1);
        assertThat(delta(before, after, "ota_control_progress_reports_total", Map.of("dialect", dialect))).isEqualTo(1);
        for (String other : List.of("onenet", "xiaozhi", "fog", "aliyun", "luatos")) {
            if (!other.equals(dialect)) {
                assertThat(delta(before, after, "ota_control_checks_total", Map.of("dialect", other))).as(other).isZero();
                assertThat(delta(before, after, "ota_control_progress_reports_total", Map.of("dialect", other))).as(other).isZero();
            }
        }
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, Map<String, String> labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    private static PrometheusText scrape() {
        HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.admin("/metrics")).GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        return PrometheusText.parse(r.body());
    }
}
