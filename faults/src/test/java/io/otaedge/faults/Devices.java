package io.otaedge.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One check per dialect, as its devices send it (the requests of the standalone's end-to-end tests), returning
 * the raw answer so a test can judge it the way that dialect's devices do.
 */
final class Devices {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final String product;

    Devices(String product) {
        this.product = product;
    }

    /** OneNET's check as the seed shows it, POSTed to {@code base} (control's device port, or an edge fronting it). */
    HttpResponse<String> oneNetCheck(String base, String authorization, long devId, String version) throws Exception {
        String body = "{\"dev_id\":" + devId + ",\"manuf\":\"China Mobile\",\"model\":\"M5310\",\"type\":1,"
                + "\"version\":\"" + version + "\",\"signals\":10,\"powers\":30,\"cdn\":false}";
        return send(HttpRequest.newBuilder(URI.create(base + "/ota/south/check"))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The download token a OneNET check hands out (errno 0 required). */
    String oneNetToken(String base, String authorization, long devId) throws Exception {
        HttpResponse<String> r = oneNetCheck(base, authorization, devId, "1.0.0");
        JsonNode reply = Json.mapper().readTree(r.body());
        if (r.statusCode() != 200 || reply.get("errno").asInt() != 0) {
            throw new AssertionError("OneNET check of device " + devId + ": " + r.statusCode() + " " + r.body());
        }
        return reply.get("data").get("token").asText();
    }

    /** OneNET's progress/state report for a token. */
    HttpResponse<String> oneNetProgress(String base, String authorization, String token, long devId, int step) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + "/ota/south/device/download/" + token + "/progress?dev_id=" + devId))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"step\":" + step + "}")));
    }

    /** xiaozhi's POST {@code /v1/ota/} (the board name in {@code User-Agent} is the product). */
    HttpResponse<String> xiaozhi(String base, String mac) throws Exception {
        return xiaozhi(base, mac, "1.0.0");
    }

    /** xiaozhi's POST {@code /v1/ota/} from a device running {@code version}. */
    HttpResponse<String> xiaozhi(String base, String mac, String version) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + "/v1/ota/"))
                .header("Content-Type", "application/json").header("Device-Id", mac).header("Client-Id", "faults-" + mac)
                .header("User-Agent", product + "/" + version).header("Activation-Version", "1")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"application":{"version":"%s","elf_sha256":"1234567890abcdef1234567890abcdef1234567890abcdef"},
                         "board":{"type":"box","name":"box","ssid":"MyWiFi","rssi":-45}}""".formatted(version))));
    }

    /** FOG's device check. */
    HttpResponse<String> fog(String base, String authorization, String deviceId) throws Exception {
        return fog(base, authorization, deviceId, "1.0.0");
    }

    /** FOG's device check from a device whose MCU runs {@code mcuVersion}. */
    HttpResponse<String> fog(String base, String authorization, String deviceId, String mcuVersion) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + "/api/v1/ota/device/?product_id=" + product
                        + "&wifi_version=1.0.0&mcu_version=" + mcuVersion + "&device_id=" + deviceId))
                .header("Authorization", authorization).GET());
    }

    /** Aliyun Living's {@code /living/ota/progress/get}. */
    HttpResponse<String> aliyun(String base, String iotToken, String deviceName) throws Exception {
        return aliyun(base, "/living/ota/progress/get", iotToken, deviceName, ",\"currentVersion\":\"1.0.0\"");
    }

    /** An Aliyun Living call on {@code path} for a device of the product; {@code params} continues its params. */
    HttpResponse<String> aliyun(String base, String path, String iotToken, String deviceName, String params) throws Exception {
        String body = """
                {"id":"1","version":"1.0","request":{"apiVer":"1.0.0","iotToken":"%s"},
                 "params":{"productKey":"%s","deviceName":"%s"%s}}""".formatted(iotToken, product, deviceName, params);
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** LuatOS' one GET, to an edge. */
    HttpResponse<String> luatos(String edgeBase, String projectKey, String imei) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(edgeBase + "/api/site/firmware_upgrade?project_key=" + projectKey
                + "&firmware_name=" + product + "_LuatOS-SoC_EC618&version=1003.000.000&imei=" + imei)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
