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

/** The native admin API over java.net.http, for a simulation's set-up (never on the measured path). */
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
        String path = "/admin/v1/products/" + enc(productId) + "/firmwares?version=" + enc(version)
                + "&module=default&fileName=" + enc(fileName);
        return send(request(path).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)), 201);
    }

    /** An upgrade task for every device of the product; returns its id. */
    public String createTask(String productId, String firmwareId) {
        ObjectNode body = JSON.createObjectNode().put("firmwareId", firmwareId);
        return send(json("/admin/v1/products/" + enc(productId) + "/tasks", body), 201).get("id").asText();
    }

    /** A OneNET device {@code Authorization} for the whole product, valid for {@code lifetime}. */
    public String oneNetAuthorization(String productId, Duration lifetime) {
        ObjectNode body = JSON.createObjectNode().put("expiresIn", lifetime.toString());
        return send(json("/admin/v1/products/" + enc(productId) + "/onenet-authorization", body), 200)
                .get("authorization").asText();
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
