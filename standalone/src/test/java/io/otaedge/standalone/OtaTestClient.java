package io.otaedge.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.common.testing.OpenApiResponses;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Talks to a running standalone over real loopback sockets, the way an operator and a device do. Every admin
 * answer it sees is checked against docs/openapi.yaml (operation, status, body schema): the end-to-end tests
 * are the admin API's contract test too.
 */
final class OtaTestClient {

    private static final OpenApiResponses SPEC = OpenApiResponses.load();

    private final Standalone system;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    OtaTestClient(Standalone system) {
        this.system = system;
    }

    String admin(String path) {
        return "http://127.0.0.1:" + system.adminPort() + path;
    }

    String device(String path) {
        return "http://127.0.0.1:" + system.devicePort() + path;
    }

    String download(String token) {
        return "http://127.0.0.1:" + system.edgePort() + "/ota/download/" + token;
    }

    HttpResponse<String> adminPost(String path, String json) throws IOException, InterruptedException {
        return documented(http.send(HttpRequest.newBuilder(URI.create(admin(path)))
                .header("Authorization", "Bearer " + system.adminKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    HttpResponse<String> adminGet(String path) throws IOException, InterruptedException {
        return documented(http.send(HttpRequest.newBuilder(URI.create(admin(path)))
                .header("Authorization", "Bearer " + system.adminKey()).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    /** The recording hook: an admin answer the document does not describe fails the test that got it. */
    private static HttpResponse<String> documented(HttpResponse<String> r) {
        assertThat(SPEC.problems(r.request().method(), r.uri().toString(), r.statusCode(), r.body()))
                .as("docs/openapi.yaml against the answer").isEmpty();
        return r;
    }

    /** Creates a product and returns its OneNET access key. */
    void createProduct(String productId) throws Exception {
        HttpResponse<String> r = adminPost("/admin/v1/products", "{\"productId\":\"" + productId + "\",\"name\":\"Test\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    JsonNode uploadFirmware(String productId, String version, String fileName, byte[] bytes) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(admin(
                        "/admin/v1/products/" + productId + "/firmwares?version=" + version + "&module=default&fileName=" + fileName)))
                .header("Authorization", "Bearer " + system.adminKey())
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        documented(r);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.mapper().readTree(r.body());
    }

    String createTask(String productId, String firmwareId) throws Exception {
        HttpResponse<String> r = adminPost("/admin/v1/products/" + productId + "/tasks", "{\"firmwareId\":\"" + firmwareId + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.mapper().readTree(r.body()).get("id").asText();
    }

    /** A OneNET device Authorization header for the product, minted by the admin API. */
    String oneNetAuthorization(String productId) throws Exception {
        HttpResponse<String> r = adminPost("/admin/v1/products/" + productId + "/onenet-authorization", "{}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body()).get("authorization").asText();
    }

    /** The OneNET check exactly as the seed shows it; returns the parsed reply. */
    JsonNode oneNetCheck(String authorization, long devId, String version) throws Exception {
        String body = "{\"dev_id\":" + devId + ",\"manuf\":\"China Mobile\",\"model\":\"M5310\",\"type\":1,"
                + "\"version\":\"" + version + "\",\"signals\":10,\"powers\":30,\"cdn\":false}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(device("/ota/south/check")))
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    /** A OneNET device call with a JSON body, to control's device port. */
    HttpResponse<String> oneNetPost(String authorization, String target, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(device(target)))
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> get(String url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> head(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
