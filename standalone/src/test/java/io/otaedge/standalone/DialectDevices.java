package io.otaedge.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** One device call per dialect against a running standalone, for tests that drive several dialects at once. */
final class DialectDevices {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Standalone system;
    private final OtaTestClient client;
    private final String product;

    DialectDevices(Standalone system, OtaTestClient client, String product) {
        this.system = system;
        this.client = client;
        this.product = product;
    }

    /** xiaozhi's OTA call (the board name in User-Agent is the product); the reply must be 200. */
    JsonNode xiaozhi(String mac, String version) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(client.device("/v1/ota/")))
                .header("Content-Type", "application/json")
                .header("Device-Id", mac).header("Client-Id", "mixed-" + mac)
                .header("User-Agent", product + "/" + version).header("Activation-Version", "2")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"application":{"version":"%s","elf_sha256":"1234567890abcdef1234567890abcdef1234567890abcdef"},
                         "board":{"type":"box","name":"box","ssid":"MyWiFi","rssi":-45}}""".formatted(version)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    /** FOG's device check; its envelope code must be 0; the {@code data} object. */
    JsonNode fogCheck(String authorization, String deviceId, String mcuVersion) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(client.device("/api/v1/ota/device/?product_id="
                        + product + "&wifi_version=1.0.0&mcu_version=" + mcuVersion + "&device_id=" + deviceId)))
                .header("Authorization", authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode reply = Json.mapper().readTree(r.body());
        assertThat(reply.get("meta").get("code").asInt()).as(r.body()).isZero();
        return reply.get("data");
    }

    /** The one file a FOG check offers. */
    JsonNode fogFile(String authorization, String deviceId, String mcuVersion) throws Exception {
        JsonNode files = fogCheck(authorization, deviceId, mcuVersion).get("files");
        assertThat(files.size()).isEqualTo(1);
        return files.get(0);
    }

    /** An Aliyun Living call for a device of the product; {@code extra} continues its params; code must be 200. */
    JsonNode aliyun(String iotToken, String path, String deviceName, String extra) throws Exception {
        String body = """
                {"id":"1","version":"1.0","request":{"apiVer":"1.0.0","iotToken":"%s"},
                 "params":{"productKey":"%s","deviceName":"%s"%s}}""".formatted(iotToken, product, deviceName, extra);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(client.device(path)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode reply = Json.mapper().readTree(r.body());
        assertThat(reply.get("code").asInt()).as(r.body()).isEqualTo(200);
        return reply;
    }

    /** LuatOS' one GET, to the edge. */
    String luatosUrl(String projectKey, String imei, String version) {
        return "http://127.0.0.1:" + system.edgePort() + "/api/site/firmware_upgrade?project_key=" + projectKey
                + "&firmware_name=" + product + "_LuatOS-SoC_EC618&version=" + version + "&imei=" + imei;
    }

    HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return Json.mapper().readTree(r.body());
    }
}
