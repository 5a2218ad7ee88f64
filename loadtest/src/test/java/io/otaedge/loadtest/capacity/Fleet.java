package io.otaedge.loadtest.capacity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The devices of the measurement, device {@code n} of each dialect, making the calls their
 * dialect makes (the same requests as the Gatling simulations' dialects, see
 * {@code io.otaedge.loadtest.dialect}): checks, downloads of the URL a check handed out, progress
 * and version reports. Every call verifies its answer and throws when it is not what a device
 * expects, so a figure is never taken over failed requests.
 */
final class Fleet {

    /** Aliyun's {@code deviceName}s; {@link KeyShapes} recognises them. */
    static final String DEVICE_NAME_PREFIX = "cap-dev-";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Endpoints at;
    private final CapacityCampaign c;
    private final int devices;
    /** Per dialect and device: the download URL its last offer named. */
    private final Map<Dialect, AtomicReferenceArray<String>> urls = new java.util.EnumMap<>(Dialect.class);

    enum Dialect {
        ONENET, FOG, XIAOZHI, LUATOS, ALIYUN;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where the system answers: control's device port, an edge, control's admin port. */
    record Endpoints(String deviceUrl, String edgeUrl, String adminUrl, String adminKey) {
    }

    Fleet(Endpoints at, CapacityCampaign campaign, int devices) {
        this.at = at;
        this.c = campaign;
        this.devices = devices;
        for (Dialect d : Dialect.values()) {
            urls.put(d, new AtomicReferenceArray<>(devices));
        }
    }

    int devices() {
        return devices;
    }

    // Identities: one space per dialect, so no two dialects share a device.

    static long oneNetId(int n) {
        return 100_000 + n;
    }

    static String mac(int space, int n) {
        return String.format(Locale.ROOT, "02:%02x:%02x:%02x:%02x:%02x", space, (n >> 24) & 0xff, (n >> 16) & 0xff,
                (n >> 8) & 0xff, n & 0xff);
    }

    static String imei(int n) {
        return String.format(Locale.ROOT, "86%013d", n);
    }

    /** The check of device {@code n}, reporting {@code version}; keeps the offered URL. */
    void check(Dialect d, int n, String version) {
        switch (d) {
            case ONENET -> {
                JsonNode data = oneNetCheck(c.productId(), c.oneNetAuthorization(), n, version, 0);
                urls.get(d).set(n, "http://" + data.get("ipPort").asText() + "/ota/download/" + data.get("token").asText());
            }
            case FOG -> {
                JsonNode r = json(get(at.deviceUrl + "/api/v1/ota/device/?product_id=" + enc(c.fogProductId())
                        + "&wifi_version=" + enc(version) + "&mcu_version=" + enc(version) + "&device_id=" + enc(mac(0x0f, n)))
                        .header("Authorization", c.fogAuthorization()), 200);
                expect(r.path("meta").path("code").asInt(-1) == 0 && r.path("data").path("need_ota").asBoolean(), "FOG offer", r);
                urls.get(d).set(n, r.path("data").path("files").path(0).path("file_url").asText());
            }
            case XIAOZHI -> {
                String mac = mac(0x0a, n);
                String body = "{\"version\":0,\"uuid\":\"" + clientId(n) + "\",\"application\":{\"name\":\"" + c.productId()
                        + "\",\"version\":\"" + version + "\",\"elf_sha256\":\"" + "0".repeat(62) + "ff\"},"
                        + "\"ota\":{\"label\":\"" + c.productId() + "\"},\"board\":{\"type\":\"" + c.productId() + "\",\"name\":\""
                        + c.productId() + "\",\"ssid\":\"Capacity\",\"rssi\":-50,\"channel\":6,\"ip\":\"10.0.0.2\",\"mac\":\""
                        + mac + "\"},\"flash_size\":16777216,\"mac_address\":\"" + mac + "\",\"chip_model_name\":\"esp32s3\"}";
                JsonNode r = json(post(at.deviceUrl + "/v1/ota/", body)
                        .header("Activation-Version", "1").header("Device-Id", mac).header("Client-Id", clientId(n))
                        .header("User-Agent", c.productId() + "/" + version).header("Accept-Language", "zh-CN"), 200);
                expect(c.version().equals(r.path("firmware").path("version").asText()), "xiaozhi offer", r);
                urls.get(d).set(n, r.path("firmware").path("url").asText());
            }
            case LUATOS -> luatosUpgrade(n, version);
            case ALIYUN -> {
                JsonNode r = aliyun("/living/ota/progress/get", n, "\"currentVersion\":\"" + version + "\"");
                expect("TO_BE_UPGRADED".equals(r.path("data").path("status").asText()), "Aliyun TO_BE_UPGRADED", r);
            }
        }
    }

    /** Aliyun's second call before a download: the file's URL and md5. */
    void aliyunFileGet(int n) {
        JsonNode r = aliyun("/living/ota/firmware/file/get", n, "\"currentVersion\":\"" + CapacityCampaign.FROM_VERSION + "\"");
        expect(c.md5().equals(r.path("data").path("sign").asText()), "Aliyun file md5", r);
        urls.get(Dialect.ALIYUN).set(n, r.path("data").path("url").asText());
    }

    /** A OneNET check against any product; answers {@code data} when errno is {@code expectErrno} 0, else null. */
    JsonNode oneNetCheck(String productId, String authorization, int n, String version, int expectErrno) {
        String body = "{\"dev_id\":" + oneNetId(n) + ",\"manuf\":\"China Mobile\",\"model\":\"M5310\",\"type\":1,"
                + "\"version\":\"" + version + "\",\"signals\":20,\"powers\":80,\"cdn\":false}";
        JsonNode r = json(post(at.deviceUrl + "/ota/south/check", body).header("Authorization", authorization), 200);
        expect(r.path("errno").asInt(-1) == expectErrno, "OneNET errno " + expectErrno + " for " + productId, r);
        return expectErrno == 0 ? r.get("data") : null;
    }

    /** LuatOS' one GET to the edge, which decides (asking control) and answers the firmware itself. */
    void luatosUpgrade(int n, String version) {
        String url = at.edgeUrl + "/api/site/firmware_upgrade?project_key=" + c.luatosProjectKey()
                + "&firmware_name=" + enc(c.productId()) + "_LuatOS-SoC_EC618&version=" + version + "&imei=" + imei(n);
        byte[] body = bytes(get(url), 200);
        expect(body.length == c.size(), "LuatOS firmware of " + c.size() + " bytes", body.length);
    }

    /** The whole firmware from the URL the dialect's offer named. */
    void downloadWhole(Dialect d, int n) {
        byte[] body = bytes(get(url(d, n)), 200);
        expect(body.length == c.size() && CapacityCampaign.md5(body).equals(c.md5()), "the whole firmware", body.length);
    }

    /** {@code ranges} consecutive 1 KiB ranges from offset {@code from}, as an NB-IoT module fetches. */
    void downloadRanges(Dialect d, int n, int ranges, long from) {
        String url = url(d, n);
        for (int i = 0; i < ranges; i++) {
            long a = (from + i * 1024L) % Math.max(1, c.size() - 1024);
            byte[] body = bytes(get(url).header("Range", "bytes=" + a + "-" + (a + 1023)), 206);
            expect(body.length == 1024, "a 1 KiB range", body.length);
        }
    }

    String token(int n) {
        String u = url(Dialect.ONENET, n);
        return u.substring(u.lastIndexOf('/') + 1);
    }

    /** OneNET's optional token check before a download. */
    void oneNetTokenCheck(int n) {
        oneNet(get(at.deviceUrl + "/ota/south/download/" + token(n) + "/check?dev_id=" + oneNetId(n)));
    }

    /** OneNET's download/upgrade progress: 0–100 downloading, 101–107 and 201–208 states. */
    void oneNetProgress(int n, int step) {
        oneNet(post(at.deviceUrl + "/ota/south/device/download/" + token(n) + "/progress?dev_id=" + oneNetId(n),
                "{\"step\":" + step + "}"));
    }

    /** OneNET's version report after the upgrade. */
    void oneNetVersion(int n, String version) {
        oneNet(post(at.deviceUrl + "/ota/device/version?dev_id=" + oneNetId(n),
                "{\"f_version\":\"" + version + "\",\"s_version\":\"" + version + "\"}"));
    }

    /** FOG's version report ({@code PUT /api/v1/ota/version/}) with the new mcu version. */
    void fogVersion(int n, String version) {
        HttpRequest.Builder r = request(at.deviceUrl + "/api/v1/ota/version/").header("Authorization", c.fogAuthorization())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"device_id\":\"" + mac(0x0f, n) + "\",\"wifi_version\":\""
                        + CapacityCampaign.FROM_VERSION + "\",\"mcu_version\":\"" + version + "\"}"));
        JsonNode reply = json(r, 200);
        expect(reply.path("meta").path("code").asInt(-1) == 0, "FOG code 0", reply);
    }

    /** Aliyun's progress report of one step. */
    void aliyunReport(int n, int step) {
        aliyun("/living/ota/progress/report", n, "\"firmwareVersion\":\"" + c.version() + "\",\"step\":\"" + step
                + "\",\"desc\":\"capacity\"");
    }

    /** One admin GET (e.g. a task's progress), verified to be a 200. */
    void adminGet(String path) {
        json(request(at.adminUrl + path).header("Authorization", "Bearer " + at.adminKey).GET(), 200);
    }

    private JsonNode aliyun(String path, int n, String params) {
        String body = "{\"id\":\"" + clientId(n) + "\",\"version\":\"1.0\",\"request\":{\"apiVer\":\"1.0.0\",\"iotToken\":\""
                + c.aliyunIotToken() + "\"},\"params\":{\"productKey\":\"" + c.productId() + "\",\"deviceName\":\""
                + DEVICE_NAME_PREFIX + n + "\",\"moduleName\":\"default\"," + params + "}}";
        JsonNode r = json(post(at.deviceUrl + path, body), 200);
        expect(r.path("code").asInt(-1) == 200, "Aliyun code 200", r);
        return r;
    }

    private void oneNet(HttpRequest.Builder r) {
        JsonNode reply = json(r.header("Authorization", c.oneNetAuthorization()), 200);
        expect(reply.path("errno").asInt(-1) == 0, "OneNET errno 0", reply);
    }

    private String url(Dialect d, int n) {
        String u = urls.get(d).get(n);
        if (u == null) {
            throw new IllegalStateException(d.label() + " device " + n + " was offered no URL");
        }
        return u;
    }

    private static String clientId(int n) {
        return String.format(Locale.ROOT, "00000000-0000-4000-8000-%012d", n);
    }

    private HttpRequest.Builder get(String url) {
        return request(url).GET();
    }

    private HttpRequest.Builder post(String url, String json) {
        return request(url).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
    }

    private JsonNode json(HttpRequest.Builder r, int status) {
        byte[] body = bytes(r, status);
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
        }
    }

    private byte[] bytes(HttpRequest.Builder r, int status) {
        HttpRequest request = r.build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != status) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + response.statusCode()
                        + " (expected " + status + "): " + new String(response.body(), StandardCharsets.UTF_8));
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void expect(boolean ok, String what, Object got) {
        if (!ok) {
            throw new IllegalStateException("expected " + what + ", got " + got);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
