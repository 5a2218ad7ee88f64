package io.otaedge.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.config.Settings;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.redis.TestRedis;
import io.otaedge.control.dialect.onenet.OneNetAuthorization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A control server on loopback ports over the test Redis and a temp blob directory, and a client
 * that talks to it the way operators and OneNET devices do.
 */
public final class ControlHarness implements AutoCloseable {

    public static final String EDGE = "edge.example:8080";

    public final String adminKey = "test-admin-" + UUID.randomUUID();
    private final java.util.Set<String> createdTasks = java.util.concurrent.ConcurrentHashMap.newKeySet();
    public final Path blobDir;
    public final BlobStore blobs;
    public final ControlServer server;
    public final RedisConnector redis;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public ControlHarness(String... extraSettings) {
        this(TestRedis.connector(), extraSettings);
    }

    public ControlHarness(RedisConnector redis, String... extraSettings) {
        NonBlockingCheck.install();
        Map<String, String> env = new HashMap<>(Map.of(
                "OTA_CONTROL_BIND", "127.0.0.1", "OTA_CONTROL_PORT", "0",
                "OTA_ADMIN_BIND", "127.0.0.1", "OTA_ADMIN_PORT", "0",
                "OTA_ADMIN_KEY", adminKey,
                "OTA_EDGE_PUBLIC_ADDRESS", EDGE));
        for (int i = 0; i < extraSettings.length; i += 2) {
            env.put(extraSettings[i], extraSettings[i + 1]);
        }
        try {
            // OTA_BLOB_DIR among the settings: a directory shared with another control (two controls on one volume).
            blobDir = env.containsKey("OTA_BLOB_DIR") ? Path.of(env.get("OTA_BLOB_DIR")) : Files.createTempDirectory("ota-control-blobs-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.redis = redis;
        this.blobs = new BlobStore(blobDir);
        Settings settings = Settings.from(env);
        this.server = new ControlServer(ControlConfig.from(settings), redis, blobs)
                .rateLimits(io.otaedge.control.ratelimit.RateLimits.from(settings))
                .tls(io.otaedge.control.tls.ControlTls.from(settings))
                .taskMetricsInterval(settings.duration("OTA_TASK_METRICS_INTERVAL",
                        io.otaedge.control.metrics.TaskGauges.DEFAULT_INTERVAL))
                .start();
    }

    public static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public URI admin(String path) {
        return URI.create("http://127.0.0.1:" + server.adminPort() + path);
    }

    public URI device(String path) {
        return URI.create("http://127.0.0.1:" + server.devicePort() + path);
    }

    public HttpResponse<String> send(HttpRequest request) {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            // A server that never answers must fail the test, not hang the build.
            HttpRequest timed = HttpRequest.newBuilder(request, (name, value) -> true).timeout(Duration.ofSeconds(10)).build();
            return http.send(timed, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder adminRequest(String path) {
        return HttpRequest.newBuilder(admin(path)).header("Authorization", "Bearer " + adminKey);
    }

    public HttpResponse<String> adminPost(String path, String json) {
        HttpResponse<String> r = send(adminRequest(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
        if (r.statusCode() == 201 && path.endsWith("/tasks")) {
            createdTasks.add(json(r).path("id").asText());
        }
        return r;
    }

    public HttpResponse<String> adminPatch(String path, String json) {
        return send(adminRequest(path).header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** Every item of an admin list ({@code {"items","nextCursor"}}), following its cursors. */
    public java.util.List<JsonNode> adminList(String path) {
        java.util.List<JsonNode> items = new java.util.ArrayList<>();
        String cursor = null;
        do {
            String page = path + (path.contains("?") ? "&" : "?") + "limit=1000"
                    + (cursor == null ? "" : "&cursor=" + cursor);
            HttpResponse<String> r = adminGet(page);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode body = json(r);
            body.get("items").forEach(items::add);
            cursor = body.get("nextCursor").isNull() ? null : body.get("nextCursor").asText();
        } while (cursor != null);
        return items;
    }

    public HttpResponse<String> adminGet(String path) {
        return send(adminRequest(path).GET().build());
    }

    public HttpResponse<String> adminDelete(String path) {
        return send(adminRequest(path).DELETE().build());
    }

    public HttpResponse<String> upload(String productId, String query, byte[] bytes) {
        return send(adminRequest("/admin/v1/products/" + productId + "/firmwares?" + query)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    /** Creates a product and returns its access key. */
    public String createProduct(String productId) {
        HttpResponse<String> r = adminPost("/admin/v1/products", "{\"productId\":\"" + productId + "\",\"name\":\"Test\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("accessKey").asText();
    }

    public JsonNode uploadFirmware(String productId, String version, byte[] bytes) {
        HttpResponse<String> r = upload(productId, "version=" + version + "&module=default&fileName=fw.bin", bytes);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r);
    }

    public HttpResponse<String> adminPut(String path, String json) {
        return send(adminRequest(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** Uploads a package with the given extra query ({@code module=…&sourceVersion=…&status=…}). */
    public JsonNode uploadPackage(String productId, String version, String extraQuery, byte[] bytes) {
        HttpResponse<String> r = upload(productId, "version=" + version + "&fileName=fw.bin&" + extraQuery, bytes);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r);
    }

    public JsonNode createTask(String productId, String json) {
        HttpResponse<String> r = adminPost("/admin/v1/products/" + productId + "/tasks", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r);
    }

    public static String authorization(String accessKey, String productId) {
        return OneNetAuthorization.sign(accessKey, "products/" + productId, System.currentTimeMillis() / 1000 + 3600, "sha256");
    }

    public HttpResponse<String> check(String authorization, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(device("/ota/south/check"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b.build());
    }

    /** The seed's own request body, with a device id and version of the test's choosing. */
    public static String seedBody(long devId, String version) {
        return """
                {
                "dev_id": %d,
                "manuf": "China Mobile",
                "model": "M5310",
                "type": 1,
                "version":"%s" ,
                "signals": 10,
                "powers":30,
                "cdn": true
                }""".formatted(devId, version);
    }

    /** A check that must answer 200 with the OneNET envelope; returns the parsed reply. */
    public JsonNode checkJson(String authorization, String body) {
        HttpResponse<String> r = check(authorization, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    /** A xiaozhi device's OTA call: the product is the board name in User-Agent, the MAC its Device-Id. */
    public HttpResponse<String> xiaozhiOta(String productId, String mac, String version) {
        return send(HttpRequest.newBuilder(device("/v1/ota/"))
                .header("Content-Type", "application/json")
                .header("Device-Id", mac).header("Client-Id", "client-" + mac)
                .header("User-Agent", productId + "/" + version).header("Activation-Version", "2")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"application":{"version":"%s","elf_sha256":"1234567890abcdef1234567890abcdef1234567890abcdef"},
                         "board":{"type":"box","name":"box","ssid":"MyWiFi","rssi":-45}}""".formatted(version)))
                .build());
    }

    public static JsonNode json(HttpResponse<String> r) {
        try {
            return Json.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    /** What {@link #rawDevice} read: the status code, the head's header lines and the body as text. */
    public record RawResponse(int status, String head, String body) {
        public JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /**
     * One request written byte for byte on a fresh socket to the device port, for what
     * {@link java.net.URI} refuses to build (a malformed %-escape); {@code headers} are "Name: value" lines.
     */
    public RawResponse rawDevice(String method, String target, String contentType, String body, String... headers) {
        return raw(server.devicePort(), method, target, contentType, body, headers);
    }

    /** As {@link #rawDevice}, on the admin port (the admin API and the internal endpoints). */
    public RawResponse rawAdmin(String method, String target, String contentType, String body, String... headers) {
        return raw(server.adminPort(), method, target, contentType, body, headers);
    }

    private static RawResponse raw(int port, String method, String target, String contentType, String body, String... headers) {
        byte[] content = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("Content-Length: ").append(content.length).append("\r\n\r\n");
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int end = response.indexOf("\r\n\r\n");
            assertThat(end).as("a complete response head: " + response).isPositive();
            String statusLine = response.substring(0, response.indexOf("\r\n"));
            return new RawResponse(Integer.parseInt(statusLine.split(" ")[1]), response.substring(0, end), response.substring(end + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    /**
     * Stops the tasks made through this harness first: the test Redis is shared by the test classes of a JVM, and
     * every control's periodic jobs go over every running task in it, so a class that left thousands of devices in a
     * running task would slow every class after it.
     */
    public void close() {
        for (String task : createdTasks) {
            try {
                adminPost("/admin/v1/tasks/" + task + "/stop", "");
            } catch (RuntimeException e) {
                // the server may be down already (a test that stopped it); nothing left to stop then
            }
        }
        server.close();
    }
}
