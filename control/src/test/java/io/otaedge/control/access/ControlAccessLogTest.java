package io.otaedge.control.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.testing.AccessLines;
import io.otaedge.common.testing.Await;
import io.otaedge.control.ControlHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Control's access log over real sockets: a device call is one line with its port, dialect, device, status and
 * duration under the caller's request id, which the response echoes; a request without one gets one made; an
 * admin call is logged without a dialect; a sample of zero logs nothing, while ids are still given.
 */
class ControlAccessLogTest {

    static ControlHarness control;

    @BeforeAll
    static void start() {
        control = new ControlHarness();
    }

    @AfterAll
    static void stop() {
        control.close();
    }

    static HttpRequest.Builder xiaozhi(String productId, String mac) {
        return HttpRequest.newBuilder(control.device("/v1/ota/"))
                .header("Content-Type", "application/json")
                .header("Device-Id", mac).header("Client-Id", "client-1")
                .header("User-Agent", productId + "/1.0.0")
                .header("Activation-Version", "2")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"application":{"version":"1.0.0","elf_sha256":"1234567890abcdef1234567890abcdef1234567890abcdef"},
                         "board":{"type":"box","name":"box","ssid":"MyWiFi","rssi":-45}}"""));
    }

    @Test
    void aDeviceCallIsOneLineWithItsDialectAndDeviceUnderTheCallersRequestId() {
        String productId = ControlHarness.uniqueId("access");
        control.createProduct(productId);
        try (AccessLines log = AccessLines.attach()) {
            HttpResponse<String> r = control.send(xiaozhi(productId, "AA:BB:CC:00:11:22").header("X-Request-Id", "edge-abc-1").build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Request-Id")).hasValue("edge-abc-1");

            Map<String, Object> line = awaitOne(log, "edge-abc-1");
            assertThat(line).containsEntry("service", "control").containsEntry("port", "device")
                    .containsEntry("method", "POST").containsEntry("path", "/v1/ota/").containsEntry("dialect", "xiaozhi")
                    .containsEntry("device", "aa:bb:cc:00:11:22").containsEntry("status", 200)
                    .containsEntry("completed", true);
            assertThat((Long) line.get("bytes")).isPositive();
            assertThat((Double) line.get("duration_ms")).isGreaterThanOrEqualTo(0.0);
        }
    }

    @Test
    void aDeviceCallWithoutAnIdIsLoggedUnderAMadeOneButItsReplyCarriesNoExtraHeader() {
        String productId = ControlHarness.uniqueId("access");
        control.createProduct(productId);
        try (AccessLines log = AccessLines.attach()) {
            HttpResponse<String> r = control.send(xiaozhi(productId, "AA:BB:CC:00:11:23").build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Request-Id")).isEmpty();
            List<Map<String, Object>> mine = Await.until(Duration.ofSeconds(5),
                    () -> log.lines().stream().filter(l -> "aa:bb:cc:00:11:23".equals(l.get("device"))).toList(),
                    l -> !l.isEmpty(), "an access line for the device");
            assertThat((String) mine.get(0).get("request_id")).matches("[0-9A-Za-z]{16}");
        }
    }

    @Test
    void aCallWithoutAnIdOrWithAnInsaneOneGetsOneMadeAndEchoed() {
        try (AccessLines log = AccessLines.attach()) {
            HttpResponse<String> r = control.adminGet("/admin/v1/products/nope-" + System.nanoTime());
            String made = r.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(made).matches("[0-9A-Za-z]{16}");
            Map<String, Object> line = awaitOne(log, made);
            assertThat(line).containsEntry("port", "admin").containsEntry("status", 404).doesNotContainKey("dialect");

            HttpResponse<String> forged = control.send(control.adminRequest("/admin/v1/products")
                    .header("X-Request-Id", "a b").GET().build());
            assertThat(forged.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9A-Za-z]{16}");
        }
    }

    @Test
    void aSampleOfZeroLogsNothingButStillGivesIds() {
        try (ControlHarness quiet = new ControlHarness("OTA_ACCESS_LOG_SAMPLE", "0"); AccessLines log = AccessLines.attach()) {
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = quiet.adminGet("/admin/v1/products");
                assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
            }
            // A call to the other control, logged, after those: the logger was listening.
            String id = control.adminGet("/admin/v1/products").headers().firstValue("X-Request-Id").orElseThrow();
            awaitOne(log, id);
            assertThat(log.lines()).hasSize(1);
        }
    }

    private static Map<String, Object> awaitOne(AccessLines log, String requestId) {
        List<Map<String, Object>> mine = Await.until(Duration.ofSeconds(5),
                () -> log.lines().stream().filter(l -> requestId.equals(l.get("request_id"))).toList(),
                l -> !l.isEmpty(), "an access line for " + requestId);
        assertThat(mine).hasSize(1);
        return mine.get(0);
    }
}
