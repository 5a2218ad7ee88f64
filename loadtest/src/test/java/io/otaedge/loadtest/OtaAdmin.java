package io.otaedge.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The native admin API (and the FOG management API, its one dialect-side set-up call) over
 * java.net.http, for a simulation's set-up (never on the measured path).
 */
public final class OtaAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String adminKey;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    public OtaAdmin(String baseUrl, String adminKey) {
        this.baseUrl = baseUrl;
        this.adminKey = adminKey;
    }

    public void createProduct(String productId, String name) {
        ObjectNode body = JSON.createObjectNode().put("productId", productId).put("name", name);
        send(json("/admin/v1/products", body), 201);
    }

    /** Uploads raw firmware bytes; returns the firmware as the API describes it (id, size, md5, …). */
    public JsonNode uploadFirmware(String productId, String version, String fileName, byte[] bytes) {
        return uploadFirmware(productId, version, "default", fileName, bytes);
    }

    /** The same for another module (FOG's {@code mcu}/{@code wifi}). */
    public JsonNode uploadFirmware(String productId, String version, String module, String fileName, byte[] bytes) {
        String path = "/admin/v1/products/" + enc(productId) + "/firmwares?version=" + enc(version)
                + "&module=" + enc(module) + "&fileName=" + enc(fileName);
        return send(request(path).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)), 201);
    }

    /** An upgrade task for every device of the product; returns its id. */
    public String createTask(String productId, String firmwareId) {
        return createTask(productId, firmwareId, object());
    }

    /** As {@link #createTask(String, String)}, with more of the task request's fields (e.g. a rollout rate). */
    public String createTask(String productId, String firmwareId, ObjectNode fields) {
        ObjectNode body = fields.deepCopy().put("firmwareId", firmwareId);
        return send(json("/admin/v1/products/" + enc(productId) + "/tasks", body), 201).get("id").asText();
    }

    /** A OneNET device {@code Authorization} for the whole product, valid for {@code lifetime}. */
    public String oneNetAuthorization(String productId, Duration lifetime) {
        ObjectNode body = JSON.createObjectNode().put("expiresIn", lifetime.toString());
        return send(json("/admin/v1/products/" + enc(productId) + "/onenet-authorization", body), 200)
                .get("authorization").asText();
    }

    /** The product's MXCHIP FOG {@code Authorization} header value ({@code token <hex>}). */
    public String fogAuthorization(String productId) {
        return send(json("/admin/v1/products/" + enc(productId) + "/fog-token", JSON.createObjectNode()), 200)
                .get("authorization").asText();
    }

    /** The product's LuatOS {@code project_key}. */
    public String luatosProjectKey(String productId) {
        return send(request("/admin/v1/products/" + enc(productId) + "/luatos-key").GET(), 200)
                .get("projectKey").asText();
    }

    /** The product's Aliyun Living {@code iotToken}. */
    public String aliyunIotToken(String productId) {
        return send(request("/admin/v1/products/" + enc(productId) + "/aliyun-token").GET(), 200)
                .get("iotToken").asText();
    }

    /**
     * Registers a FOG OTA file ({@code POST /api/v1/ota/{product}/files/} on control's device port),
     * which starts the FOG task; fails unless FOG answers code 0.
     */
    public JsonNode createFogFile(String deviceUrl, String fogAuthorization, String productId, ObjectNode file) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(deviceUrl + "/api/v1/ota/" + enc(productId) + "/files/"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", fogAuthorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(file.toString()));
        JsonNode reply = send(r, 200);
        if (reply.path("meta").path("code").asInt(-1) != 0) {
            throw new IllegalStateException("FOG refused the file " + file + ": " + reply);
        }
        return reply.get("data");
    }

    /** Any admin GET that must answer 200, e.g. {@code /admin/v1/tasks/<id>/progress}. */
    public JsonNode get(String path) {
        return send(request(path).GET(), 200);
    }

    /** A JSON object to fill, for callers building request bodies. */
    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private HttpRequest.Builder json(String path, ObjectNode body) {
        return request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + adminKey);
    }

    private JsonNode send(HttpRequest.Builder request, int expectedStatus) {
        HttpRequest r = request.build();
        try {
            HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expectedStatus) {
                throw new IllegalStateException(r.method() + " " + r.uri() + " answered " + response.statusCode()
                        + " (expected " + expectedStatus + "): " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(r.method() + " " + r.uri() + " failed: " + e
                    + " (is the system running? set -Dota.adminUrl)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
