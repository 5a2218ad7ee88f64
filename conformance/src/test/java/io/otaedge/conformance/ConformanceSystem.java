package io.otaedge.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.config.Settings;
import io.otaedge.common.json.Json;
import io.otaedge.standalone.Standalone;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The standalone as a device fleet meets it (own Redis, loopback ports), and the operator's admin calls that
 * set up what a client under test needs. Device traffic itself never goes through here: it goes through
 * {@link RawHttp}, byte for byte.
 */
public final class ConformanceSystem implements AutoCloseable {

    private final Standalone system;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private ConformanceSystem(Standalone system) {
        this.system = system;
    }

    /** A standalone on free ports with its data in {@code dataDir}; {@code extra} are more OTA_* key/value pairs. */
    public static ConformanceSystem start(Path dataDir, String... extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "OTA_DATA_DIR", dataDir.toString(),
                "OTA_EDGE_PORT", "0",
                "OTA_CONTROL_PORT", "0",
                "OTA_ADMIN_PORT", "0",
                "OTA_EDGE_ADMIN_PORT", "0"));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return new ConformanceSystem(Standalone.start(Settings.from(env)));
    }

    public Standalone standalone() {
        return system;
    }

    public int devicePort() {
        return system.devicePort();
    }

    public int edgePort() {
        return system.edgePort();
    }

    public int adminPort() {
        return system.adminPort();
    }

    /** An admin call with the bearer key; {@code json} null means GET. */
    public HttpResponse<String> admin(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + system.adminPort() + path))
                .header("Authorization", "Bearer " + system.adminKey());
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An admin call that must answer {@code status}; its JSON body. */
    public JsonNode admin(String method, String path, String json, int status) throws Exception {
        HttpResponse<String> r = admin(method, path, json);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
        return r.body().isEmpty() ? Json.mapper().nullNode() : Json.mapper().readTree(r.body());
    }

    public void createProduct(String productId) throws Exception {
        admin("POST", "/admin/v1/products", "{\"productId\":\"" + productId + "\",\"name\":\"Conformance\"}", 201);
    }

    /** Uploads a firmware and returns its record (id, version, size, md5, sha256). */
    public JsonNode uploadFirmware(String productId, String module, String version, String fileName, byte[] bytes)
            throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + system.adminPort()
                        + "/admin/v1/products/" + productId + "/firmwares?version=" + version + "&module=" + module
                        + "&fileName=" + fileName))
                .header("Authorization", "Bearer " + system.adminKey())
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.mapper().readTree(r.body());
    }

    /** Creates a task from a JSON body (at least {@code firmwareId}) and returns its id. */
    public String createTask(String productId, String taskJson) throws Exception {
        return admin("POST", "/admin/v1/products/" + productId + "/tasks", taskJson, 201).get("id").asText();
    }

    @Override
    public void close() {
        system.close();
    }
}
