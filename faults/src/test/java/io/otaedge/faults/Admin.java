package io.otaedge.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The operator's admin calls a fault test needs, over real HTTP with the bearer key. */
final class Admin {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String key;

    Admin(String base, String key) {
        this.base = base;
        this.key = key;
    }

    /** An admin call; {@code json} null means no body. */
    HttpResponse<String> call(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + key);
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An admin call that must answer {@code status}; its JSON body. */
    JsonNode call(String method, String path, String json, int status) throws Exception {
        HttpResponse<String> r = call(method, path, json);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
        return r.body().isEmpty() ? Json.mapper().nullNode() : Json.mapper().readTree(r.body());
    }

    int createProduct(String productId) throws Exception {
        return call("POST", "/admin/v1/products", "{\"productId\":\"" + productId + "\",\"name\":\"Faults\"}").statusCode();
    }

    JsonNode uploadFirmware(String productId, String version, byte[] bytes) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/v1/products/" + productId
                        + "/firmwares?version=" + version + "&module=default&fileName=fw.bin"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.mapper().readTree(r.body());
    }

    String createTask(String productId, String firmwareId) throws Exception {
        return call("POST", "/admin/v1/products/" + productId + "/tasks", "{\"firmwareId\":\"" + firmwareId + "\"}", 201)
                .get("id").asText();
    }

    /** A OneNET device {@code Authorization} for the product. */
    String oneNetAuthorization(String productId) throws Exception {
        return call("POST", "/admin/v1/products/" + productId + "/onenet-authorization", "{}", 200).get("authorization").asText();
    }

    JsonNode progress(String taskId) throws Exception {
        return call("GET", "/admin/v1/tasks/" + taskId + "/progress", null, 200);
    }
}
