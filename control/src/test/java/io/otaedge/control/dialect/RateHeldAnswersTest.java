package io.otaedge.control.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A device held back by a task's rollout rate gets its dialect's own "no upgrade now" answer, never an error: a task
 * of one new device a minute offers the first device and holds the second. The server's clock is real, so a run
 * whose two checks fall in two minutes (the second then let in) is repeated on a fresh product.
 */
class RateHeldAnswersTest {

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

    record Product(String id, String accessKey) {
    }

    record Answers(Product product, String taskId, JsonNode first, JsonNode second) {
    }

    /** The first and second device's answers on a fresh product whose task lets one new device in a minute. */
    static Answers firstAndSecond(Function<Product, JsonNode> first, Function<Product, JsonNode> second) {
        for (int attempt = 0; ; attempt++) {
            String pid = ControlHarness.uniqueId("held");
            Product p = new Product(pid, control.createProduct(pid));
            JsonNode fw = control.uploadFirmware(pid, "2.0.0", "rate held".getBytes(StandardCharsets.US_ASCII));
            String taskId = control.createTask(pid, "{\"firmwareId\":\"" + fw.get("id").asText() + "\",\"maximumPerMinute\":1}")
                    .get("id").asText();
            long minute = System.currentTimeMillis() / 60_000;
            Answers a = new Answers(p, taskId, first.apply(p), second.apply(p));
            if (System.currentTimeMillis() / 60_000 == minute || attempt == 2) {
                return a;
            }
        }
    }

    static JsonNode oneNet(Product p, int devId) {
        return control.checkJson(ControlHarness.authorization(p.accessKey(), p.id()), ControlHarness.seedBody(devId, "1.0.0"));
    }

    @Test
    void oneNetGetsItsNoTaskErrnoAndTheTaskViewCountsTheHold() {
        Answers a = firstAndSecond(p -> oneNet(p, 1), p -> oneNet(p, 2));
        assertThat(a.first().get("errno").asInt()).as(a.first().toString()).isZero();
        assertThat(a.second().get("errno").asInt()).as(a.second().toString()).isEqualTo(11);
        // The first device checks again: it is enrolled and keeps its offer whatever the rate.
        assertThat(oneNet(a.product(), 1).get("errno").asInt()).isZero();

        JsonNode rate = ControlHarness.json(control.adminGet("/admin/v1/tasks/" + a.taskId() + "/progress")).get("rate");
        assertThat(rate.get("perMinute").asInt()).isEqualTo(1);
        assertThat(rate.get("enrolled").asInt()).isEqualTo(1);
        assertThat(rate.get("heldByRate").asInt()).isEqualTo(1);
        assertThat(control.send(HttpRequest.newBuilder(control.admin("/metrics")).GET().build()).body())
                .contains("ota_control_offers_held_total{reason=\"rate\"");
    }

    @Test
    void xiaozhiGetsItsOwnVersionBackWithoutAUrl() {
        Answers a = firstAndSecond(p -> xiaozhi(p, "aa:bb:cc:dd:ee:01"), p -> xiaozhi(p, "aa:bb:cc:dd:ee:02"));
        assertThat(a.first().get("firmware").has("url")).as(a.first().toString()).isTrue();
        assertThat(a.second().get("firmware").has("url")).as(a.second().toString()).isFalse();
        assertThat(a.second().get("firmware").get("version").asText()).isEqualTo("1.0.0");
    }

    static JsonNode xiaozhi(Product p, String mac) {
        HttpResponse<String> r = control.xiaozhiOta(p.id(), mac, "1.0.0");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ControlHarness.json(r);
    }

    @Test
    void fogGetsNeedOtaFalse() {
        Answers a = firstAndSecond(p -> fog(p, "dev-1"), p -> fog(p, "dev-2"));
        assertThat(a.first().get("data").get("need_ota").asBoolean()).as(a.first().toString()).isTrue();
        assertThat(a.second().get("meta").get("code").asInt()).as(a.second().toString()).isZero();
        assertThat(a.second().get("data").get("need_ota").asBoolean()).as(a.second().toString()).isFalse();
    }

    static JsonNode fog(Product p, String device) {
        String auth = ControlHarness.json(control.adminPost("/admin/v1/products/" + p.id() + "/fog-token", ""))
                .get("authorization").asText();
        HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.device("/api/v1/ota/device/?product_id="
                + p.id() + "&wifi_version=1.0.0&mcu_version=1.0.0&device_id=" + device)).header("Authorization", auth).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ControlHarness.json(r);
    }

    @Test
    void hawkbitGetsAPollWithoutDeploymentBaseAndASleepUntilTheNextMinute() {
        Answers a = firstAndSecond(p -> hawkbit(p, "dev-1"), p -> hawkbit(p, "dev-2"));
        assertThat(a.first().path("_links").has("deploymentBase")).as(a.first().toString()).isTrue();
        // The product's 5 minutes, moved by the device's own jitter (±20 %: 4 to 6 minutes).
        assertThat(a.first().at("/config/polling/sleep").asText()).matches("00:0[4-5]:[0-5][0-9]|00:06:00");
        assertThat(a.second().path("_links").has("deploymentBase")).as(a.second().toString()).isFalse();
        // Held until the next minute starts (stretched by up to 20 %): never longer than the product's own sleep.
        assertThat(a.second().at("/config/polling/sleep").asText()).matches("00:00:[0-5][0-9]|00:01:[0-1][0-9]");
    }

    static JsonNode hawkbit(Product p, String device) {
        String token = KEYS.computeIfAbsent(p.id(), pid -> {
            HttpResponse<String> put = control.adminPut("/admin/v1/products/" + pid + "/hawkbit",
                    "{\"pollingSleep\":\"00:05:00\",\"gatewayTokenAuth\":true}");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            return ControlHarness.json(control.adminPost("/admin/v1/products/" + pid + "/hawkbit/gateway-token", ""))
                    .get("gatewayToken").asText();
        });
        HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.device("/" + p.id() + "/controller/v1/" + device))
                .header("Accept", "application/hal+json").header("Authorization", "GatewayToken " + token).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ControlHarness.json(r);
    }

    /** Each product's hawkBit gateway token, made on its first poll. */
    static final java.util.Map<String, String> KEYS = new java.util.concurrent.ConcurrentHashMap<>();
}
