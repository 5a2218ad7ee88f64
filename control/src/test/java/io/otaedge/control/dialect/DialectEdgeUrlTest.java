package io.otaedge.control.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.fleet.EdgeRegistry;
import io.otaedge.common.fleet.EdgeStatus;
import io.otaedge.common.testing.Await;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import io.otaedge.control.dialect.aliyun.AliyunIdentity;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dialects that hand devices a whole download URL (xiaozhi, FOG, Aliyun) point it at a live edge
 * from the edge registry, as OneNET's ipPort does, not at the configured fallback address.
 */
class DialectEdgeUrlTest {

    static final String LIVE_EDGE = "live-edge.example:9443";
    static ControlHarness control;
    static EdgeRegistry registry;
    static String edgeId;

    @BeforeAll
    static void start() {
        control = new ControlHarness();
        registry = new EdgeRegistry(control.redis.async());
        edgeId = "dialect-url-" + UUID.randomUUID();
        registry.beat(new EdgeStatus(edgeId, LIVE_EDGE, 0, 1000, 0, System.currentTimeMillis()), Duration.ofMinutes(1))
                .toCompletableFuture().join();
    }

    @AfterAll
    static void stop() {
        // The registry is global in the test Redis: leave nothing for the other tests' checks.
        registry.remove(edgeId).toCompletableFuture().join();
        control.close();
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    @Test
    void xiaozhiFogAndAliyunUrlsNameTheLiveEdge() {
        String productId = ControlHarness.uniqueId("url");
        control.createProduct(productId);
        String defaultFw = control.uploadFirmware(productId, "2.0.0", "default 2.0.0".getBytes(StandardCharsets.US_ASCII))
                .get("id").asText();
        control.createTask(productId, "{\"firmwareId\":\"" + defaultFw + "\"}");
        HttpResponse<String> mcu = control.upload(productId, "version=2.0.0&module=mcu&fileName=mcu.bin",
                "mcu 2.0.0".getBytes(StandardCharsets.US_ASCII));
        control.createTask(productId, "{\"firmwareId\":\"" + ControlHarness.json(mcu).get("id").asText() + "\"}");
        String prefix = "http://" + LIVE_EDGE + "/ota/download/";

        String xiaozhi = Await.until(Duration.ofSeconds(5), () -> xiaozhiUrl(productId), u -> u.startsWith(prefix),
                "xiaozhi's firmware.url on the live edge");
        assertThat(xiaozhi).startsWith(prefix + "ota_");
        assertThat(fogUrl(productId)).startsWith(prefix + "ota_");
        assertThat(aliyunUrl(productId)).startsWith(prefix + "ota_");
    }

    static String xiaozhiUrl(String productId) {
        HttpResponse<String> r = control.xiaozhiOta(productId, "d4:06:06:b6:a9:01", "1.0.0");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ControlHarness.json(r).get("firmware").path("url").asText("");
    }

    static String fogUrl(String productId) {
        String authorization = ControlHarness.json(control.adminPost("/admin/v1/products/" + productId + "/fog-token", ""))
                .get("authorization").asText();
        HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.device("/api/v1/ota/device/?product_id="
                        + productId + "&wifi_version=1.0.0&mcu_version=1.0.0&device_id=fog-1"))
                .header("Authorization", authorization).GET().build());
        JsonNode files = ControlHarness.json(r).get("data").get("files");
        assertThat(files.size()).as(r.body()).isEqualTo(1);
        return files.get(0).get("file_url").asText();
    }

    static String aliyunUrl(String productId) {
        String iotToken = ControlHarness.json(control.adminGet("/admin/v1/products/" + productId + "/aliyun-token"))
                .get("iotToken").asText();
        String body = """
                {"id":"1","version":"1.0","request":{"apiVer":"1.0.0","iotToken":"%s"},
                 "params":{"productKey":"%s","deviceName":"ali-1","currentVersion":"1.0.0"}}""".formatted(iotToken, productId);
        HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.device("/living/ota/firmware/file/get"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        JsonNode data = ControlHarness.json(r).get("data");
        assertThat(data.isObject()).as(r.body()).isTrue();
        assertThat(new AliyunIdentity(productId, "ali-1").iotId()).isEqualTo(data.get("iotId").asText());
        return data.get("url").asText();
    }
}
