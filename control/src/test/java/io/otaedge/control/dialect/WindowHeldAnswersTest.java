package io.otaedge.control.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A device held back by a task's maintenance window gets its dialect's own "no upgrade now" answer, never an error
 * (as {@link RateHeldAnswersTest} for the rate): the task's only window opens for a minute two hours from now (UTC,
 * on the server's real clock), so it is closed during the test and the come-back hint is one to two hours.
 */
class WindowHeldAnswersTest {

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

    /** A fresh product whose task waits for a window that opens two hours from now. */
    static RateHeldAnswersTest.Product closedWindow(StringBuilder taskId) {
        String pid = ControlHarness.uniqueId("window");
        RateHeldAnswersTest.Product p = new RateHeldAnswersTest.Product(pid, control.createProduct(pid));
        JsonNode fw = control.uploadFirmware(pid, "2.0.0", "window held".getBytes(StandardCharsets.US_ASCII));
        int hour = (Instant.now().atZone(ZoneOffset.UTC).getHour() + 2) % 24;
        taskId.append(control.createTask(pid, "{\"firmwareId\":\"" + fw.get("id").asText() + "\",\"maintenanceWindows\":"
                + "[{\"cron\":\"0 " + hour + " * * *\",\"duration\":\"PT1M\",\"zone\":\"UTC\"}]}").get("id").asText());
        return p;
    }

    @Test
    void oneNetGetsItsNoTaskErrnoAndTheTaskViewShowsTheClosedWindowAndTheHold() {
        StringBuilder taskId = new StringBuilder();
        RateHeldAnswersTest.Product p = closedWindow(taskId);
        JsonNode answer = control.checkJson(ControlHarness.authorization(p.accessKey(), p.id()), ControlHarness.seedBody(1, "1.0.0"));
        assertThat(answer.get("errno").asInt()).as(answer.toString()).isEqualTo(11);

        JsonNode w = ControlHarness.json(control.adminGet("/admin/v1/tasks/" + taskId + "/progress")).get("maintenanceWindows");
        assertThat(w.get("open").asBoolean()).isFalse();
        assertThat(w.get("heldByWindow").asInt()).isEqualTo(1);
        assertThat(Instant.parse(w.get("nextStart").asText())).isAfter(Instant.now().plusSeconds(3599));
        assertThat(w.get("windows").get(0).get("open").asBoolean()).isFalse();
        assertThat(control.send(HttpRequest.newBuilder(control.admin("/metrics")).GET().build()).body())
                .contains("ota_control_offers_held_total{reason=\"window\"");
    }

    @Test
    void xiaozhiGetsItsOwnVersionBackWithoutAUrl() {
        RateHeldAnswersTest.Product p = closedWindow(new StringBuilder());
        HttpResponse<String> r = control.xiaozhiOta(p.id(), "aa:bb:cc:dd:ee:01", "1.0.0");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode fw = ControlHarness.json(r).get("firmware");
        assertThat(fw.has("url")).as(r.body()).isFalse();
        assertThat(fw.get("version").asText()).isEqualTo("1.0.0");
    }

    @Test
    void fogGetsNeedOtaFalse() {
        RateHeldAnswersTest.Product p = closedWindow(new StringBuilder());
        String auth = ControlHarness.json(control.adminPost("/admin/v1/products/" + p.id() + "/fog-token", ""))
                .get("authorization").asText();
        HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.device("/api/v1/ota/device/?product_id="
                + p.id() + "&wifi_version=1.0.0&mcu_version=1.0.0&device_id=dev-1")).header("Authorization", auth).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode a = ControlHarness.json(r);
        assertThat(a.get("meta").get("code").asInt()).as(r.body()).isZero();
        assertThat(a.get("data").get("need_ota").asBoolean()).as(r.body()).isFalse();
    }

    @Test
    void hawkbitGetsAPollWithoutDeploymentBaseAndASleepUntilTheWindowCappedByItsOwnSleep() {
        RateHeldAnswersTest.Product p = closedWindow(new StringBuilder());
        HttpResponse<String> put = control.adminPut("/admin/v1/products/" + p.id() + "/hawkbit",
                "{\"pollingSleep\":\"00:05:00\",\"gatewayTokenAuth\":true}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        String token = ControlHarness.json(control.adminPost("/admin/v1/products/" + p.id() + "/hawkbit/gateway-token", ""))
                .get("gatewayToken").asText();
        HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.device("/" + p.id() + "/controller/v1/dev-1"))
                .header("Accept", "application/hal+json").header("Authorization", "GatewayToken " + token).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode a = ControlHarness.json(r);
        assertThat(a.path("_links").has("deploymentBase")).as(r.body()).isFalse();
        // The window is an hour or more away: the product's own five minutes (±20 %, the device's jitter) is the shorter.
        String sleep = a.at("/config/polling/sleep").asText();
        int seconds = java.time.LocalTime.parse(sleep).toSecondOfDay();
        assertThat(seconds).as(sleep).isBetween(240, 360);
    }
}
