package io.otaedge.conformance.xiaozhi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.conformance.ConformanceSystem;
import io.otaedge.conformance.RawHttp;
import io.otaedge.conformance.RawResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The xiaozhi-esp32 firmware, replayed: {@code 78/xiaozhi-esp32} at 48142026b50b50f6748c003ae3b28d1cbe4cb667
 * ({@code main/ota.cc} CheckVersion, Activate, Upgrade, ParseVersion; {@code main/boards/common/board.cc}
 * GetSystemInfoJson; {@code wifi_board.cc} and {@code ml307_board.cc} GetBoardJson; {@code main/system_info.cc}
 * GetUserAgent, GetMacAddress; {@code main/application.cc} CheckNewVersion, InitializeProtocol) with its HTTP
 * from {@code 78/esp-ml307} at 7bc2fd6d7a892f5536697677894e050ff0349a74: {@code src/http_client.cc} (Wi-Fi
 * boards: {@code EspNetwork} → {@code HttpClient}) and {@code src/ml307/ml307_http.cc} (ML307 cellular boards:
 * the modem's AT HTTP stack).
 *
 * <p>What the bytes are: {@code HttpClient} keeps headers in a {@code std::map} keyed by the lowercased name, so
 * they go out sorted by that key with the name as set, after {@code Host} and before its own
 * {@code Content-Length} (only with a body) and {@code Connection: close}. {@code Ml307Http} hands the modem the
 * same headers ({@code AT+MHTTPHEADER}, a {@code std::map} on the name as set) and the modem writes the request;
 * that framing is the modem firmware's and not public, so here it gets the same order with {@code Host} and
 * {@code Content-Length}. The body is the firmware's hand-built JSON, field order and types as it writes them
 * ({@code minimum_free_heap_size} a string, {@code "partition_table": [} with its space, ML307's {@code csq} a
 * string and {@code cereg} an object).
 *
 * <p>How the answers are read: status 200 only (anything else is a failed check, retried); the JSON as
 * {@link FirmwareView} reads it with cJSON; for a download 200 with a non-zero length, which {@code HttpClient}
 * finds under any case and {@code Ml307Http} only as {@code Content-Length} exactly.
 */
class XiaozhiEsp32FirmwareTest {

    static final String WIFI_BOARD = "bread-compact-wifi";
    static final String ML307_BOARD = "bread-compact-ml307";
    static final String MQTT_BOARD = "bread-compact-esp32";
    static final String APP_VERSION = "2.4.2";
    static final String NEXT_VERSION = "2.5.0";

    @TempDir
    static Path data;
    static ConformanceSystem system;
    static byte[] wifiImage;
    static byte[] ml307Image;

    @BeforeAll
    static void start() throws Exception {
        system = ConformanceSystem.start(data);
        for (String board : new String[] {WIFI_BOARD, ML307_BOARD, MQTT_BOARD}) {
            system.createProduct(board);
        }
        wifiImage = image(70_000, 0x11);
        ml307Image = image(33_000, 0x22);
        JsonNode wifiFw = system.uploadFirmware(WIFI_BOARD, "default", NEXT_VERSION, "xiaozhi-wifi.bin", wifiImage);
        system.createTask(WIFI_BOARD, "{\"firmwareId\":\"" + wifiFw.get("id").asText() + "\",\"sourceVersions\":[\"" + APP_VERSION + "\"]}");
        JsonNode cellFw = system.uploadFirmware(ML307_BOARD, "default", NEXT_VERSION, "xiaozhi-ml307.bin", ml307Image);
        system.createTask(ML307_BOARD, "{\"firmwareId\":\"" + cellFw.get("id").asText() + "\",\"sourceVersions\":[\"" + APP_VERSION + "\"]}");
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    // ---- the device -------------------------------------------------------------------------------------

    /** One board as the firmware describes itself. */
    record Board(String name, String mac, String uuid, String serial, boolean cellular) {
        String userAgent(String version) {
            return name + "/" + version;
        }
    }

    /** CONFIG_OTA_URL pointed at this service (it ends in '/', so activation goes to {@code …/activate}). */
    static String otaUrl() {
        return "http://127.0.0.1:" + system.devicePort() + "/v1/ota/";
    }

    /** {@code Ota::SetupHttp}'s headers, in the order the client's {@code std::map} writes them. */
    static Map<String, String> setupHeaders(Board b, String version) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Accept-Language", "zh-CN");
        h.put("Activation-Version", b.serial() == null ? "1" : "2");
        h.put("Client-Id", b.uuid());
        h.put("Content-Type", "application/json");
        h.put("Device-Id", b.mac());
        if (b.serial() != null) {
            h.put("Serial-Number", b.serial());
        }
        h.put("User-Agent", b.userAgent(version));
        return h;
    }

    /** The request bytes, framed as the board's HTTP client frames them. */
    static byte[] request(Board b, String method, String url, Map<String, String> headers, String body) {
        Url u = Url.parse(url);
        StringBuilder head = new StringBuilder(method + " " + u.path() + " HTTP/1.1\r\n");
        head.append("Host: ").append(u.host()).append(u.port() == 80 ? "" : ":" + u.port()).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (content.length > 0) {
            head.append("Content-Length: ").append(content.length).append("\r\n");
        } else if (method.equals("POST")) {
            head.append("Content-Length: 0\r\n");
        }
        if (!b.cellular()) {
            head.append("Connection: close\r\n"); // HttpClient's keep_alive_ defaults to false
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + content.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(content, 0, all, h.length, content.length);
        return all;
    }

    static RawResponse send(String url, byte[] request) throws Exception {
        return RawHttp.exchange(Url.parse(url).port(), request);
    }

    /** {@code Ota::CheckVersion}: POST with the system information (GET when it has none). */
    static RawResponse check(Board b, String version, String systemInfo) throws Exception {
        String method = systemInfo.isEmpty() ? "GET" : "POST";
        return send(otaUrl(), request(b, method, otaUrl(), setupHeaders(b, version), systemInfo));
    }

    /** {@code Ota::Activate}: the same headers, the payload of {@code GetActivationPayload}. */
    static RawResponse activate(Board b, String version, String payload) throws Exception {
        String url = otaUrl() + "activate";
        return send(url, request(b, "POST", url, setupHeaders(b, version), payload));
    }

    /** {@code GetActivationPayload}: {@code {}} without a serial, else the HMAC of the challenge under efuse KEY0. */
    static String activationPayload(Board b, String challenge, byte[] efuseKey) throws Exception {
        if (b.serial() == null) {
            return "{}";
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(efuseKey, "HmacSHA256"));
        String hmac = HexFormat.of().formatHex(mac.doFinal(challenge.getBytes(StandardCharsets.UTF_8)));
        return "{\"algorithm\":\"hmac-sha256\",\"serial_number\":\"" + b.serial() + "\",\"challenge\":\"" + challenge
                + "\",\"hmac\":\"" + hmac + "\"}";
    }

    /** {@code Ota::Upgrade}: a plain GET of the URL (a fresh client: no headers of its own), 200 and a length. */
    static byte[] upgrade(Board b, String firmwareUrl) throws Exception {
        RawResponse r = send(firmwareUrl, request(b, "GET", firmwareUrl, Map.of(), null));
        assertThat(r.status()).as("Upgrade requires 200: " + r.statusLine()).isEqualTo(200);
        String length = b.cellular() ? r.headerExact("Content-Length") : r.headerIgnoringCase("Content-Length");
        assertThat(length).as("Upgrade requires a Content-Length (" + (b.cellular() ? "exact case" : "any case") + ")").isNotNull();
        assertThat(Long.parseLong(length)).isPositive();
        assertThat(r.body()).hasSize((int) Long.parseLong(length));
        return r.body();
    }

    /** {@code Board::GetSystemInfoJson}, field by field as the firmware concatenates it. */
    static String systemInfo(Board b, String version) {
        StringBuilder j = new StringBuilder();
        j.append("{\"version\":2,\"language\":\"zh-CN\",");
        j.append("\"flash_size\":16777216,");
        j.append("\"minimum_free_heap_size\":\"8318916\",");
        j.append("\"mac_address\":\"").append(b.mac()).append("\",");
        j.append("\"uuid\":\"").append(b.uuid()).append("\",");
        j.append("\"chip_model_name\":\"esp32s3\",");
        j.append("\"chip_info\":{\"model\":9,\"cores\":2,\"revision\":2,\"features\":18},");
        j.append("\"application\":{\"name\":\"xiaozhi\",\"version\":\"").append(version)
                .append("\",\"compile_time\":\"Aug  8 2026T08:33:45Z\",\"idf_version\":\"v5.5.2\",\"elf_sha256\":\"")
                .append("5f0b4203acc84910b742a2da9fa3bfa51173d70813558c0ba2f7d058211669b4").append("\"},");
        j.append("\"partition_table\": [");
        j.append("{\"label\":\"nvs\",\"type\":1,\"subtype\":2,\"address\":36864,\"size\":16384},");
        j.append("{\"label\":\"otadata\",\"type\":1,\"subtype\":0,\"address\":53248,\"size\":8192},");
        j.append("{\"label\":\"ota_0\",\"type\":0,\"subtype\":16,\"address\":131072,\"size\":4128768},");
        j.append("{\"label\":\"ota_1\",\"type\":0,\"subtype\":17,\"address\":4259840,\"size\":4128768}");
        j.append("],");
        j.append("\"ota\":{\"label\":\"ota_0\"},");
        j.append("\"display\":{\"monochrome\":true,\"width\":128,\"height\":64},");
        j.append("\"board\":").append(b.cellular() ? ml307BoardJson(b) : wifiBoardJson(b));
        j.append("}");
        return j.toString();
    }

    /** {@code WifiBoard::GetBoardJson}, connected (not in config mode). */
    static String wifiBoardJson(Board b) {
        return "{\"type\":\"" + b.name() + "\",\"name\":\"" + b.name() + "\",\"manufacturer\":\"\","
                + "\"ssid\":\"MyWiFi\",\"rssi\":-50,\"channel\":6,\"ip\":\"192.168.1.23\","
                + "\"mac\":\"" + b.mac() + "\"}";
    }

    /** {@code Ml307Board::GetBoardJson}: csq as a string, cereg as esp-ml307's {@code CeregState::ToString}. */
    static String ml307BoardJson(Board b) {
        return "{\"type\":\"" + b.name() + "\",\"name\":\"" + b.name() + "\",\"manufacturer\":\"\","
                + "\"revision\":\"ML307R-DL-MBRH0S01\",\"carrier\":\"CHINA MOBILE\",\"csq\":\"24\","
                + "\"imei\":\"864000000000017\",\"iccid\":\"89860000000000000017\","
                + "\"cereg\":{\"stat\":1,\"tac\":\"5A1B\",\"ci\":\"0C2F3E01\",\"AcT\":7}}";
    }

    static byte[] image(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (seed + i * 31);
        }
        return b;
    }

    /** {@code HttpClient::ParseUrl}: scheme://host[:port]/path. */
    record Url(String host, int port, String path) {
        static Url parse(String url) {
            int hostStart = url.indexOf("://") + 3;
            int pathStart = url.indexOf('/', hostStart);
            String authority = pathStart < 0 ? url.substring(hostStart) : url.substring(hostStart, pathStart);
            int colon = authority.indexOf(':');
            return new Url(colon < 0 ? authority : authority.substring(0, colon),
                    colon < 0 ? 80 : Integer.parseInt(authority.substring(colon + 1)),
                    pathStart < 0 ? "/" : url.substring(pathStart));
        }
    }

    static String efuseKeyFor(String product, String serial) throws Exception {
        return system.admin("GET", "/admin/v1/products/" + product + "/xiaozhi/serials/" + serial + "/key", null, 200)
                .get("key").asText();
    }

    static void userEntersCode(String product, String code) throws Exception {
        system.admin("POST", "/admin/v1/products/" + product + "/xiaozhi/activations/" + code, "", 200);
    }

    // ---- the cycles -------------------------------------------------------------------------------------

    @Test
    void wifiBoardWithSerialNumberUpgradesActivatesWithItsHmacAndConnectsByWebsocket() throws Exception {
        Board b = new Board(WIFI_BOARD, "d4:06:06:b6:a9:fb", "6f2c1c0e-8f6a-4b8e-9d55-3c1e1f2a7b10", "SN-BREAD-WIFI-0001", false);
        byte[] key = HexFormat.of().parseHex(efuseKeyFor(WIFI_BOARD, b.serial()));

        // Boot on 2.4.2: an upgrade is offered; the firmware upgrades before anything else.
        long before = System.currentTimeMillis();
        RawResponse first = check(b, APP_VERSION, systemInfo(b, APP_VERSION));
        assertThat(first.status()).as(first.bodyText()).isEqualTo(200);
        FirmwareView v1 = FirmwareView.read(first.bodyText(), APP_VERSION);
        assertThat(v1.serverTimeMs()).isBetween(before, System.currentTimeMillis());
        assertThat(v1.timezoneOffsetMinutes()).isEqualTo(480);
        assertThat(v1.firmwareVersion()).isEqualTo(NEXT_VERSION);
        assertThat(v1.hasNewVersion()).isTrue();
        assertThat(v1.hasActivationChallenge()).isTrue();
        assertThat(upgrade(b, v1.firmwareUrl())).isEqualTo(wifiImage);

        // Reboot on 2.5.0: nothing newer, so the activation loop runs.
        RawResponse second = check(b, NEXT_VERSION, systemInfo(b, NEXT_VERSION));
        assertThat(second.status()).isEqualTo(200);
        FirmwareView v2 = FirmwareView.read(second.bodyText(), NEXT_VERSION);
        assertThat(v2.hasNewVersion()).isFalse();
        assertThat(v2.activationCode()).matches("[0-9]{6}");
        assertThat(v2.activationMessage()).contains(v2.activationCode());
        assertThat(v2.activationTimeoutMs()).isEqualTo(30_000);
        String payload = activationPayload(b, v2.activationChallenge(), key);

        assertThat(activate(b, NEXT_VERSION, payload).status()).as("pending: retried every 3 s").isEqualTo(202);
        userEntersCode(WIFI_BOARD, v2.activationCode());
        assertThat(activate(b, NEXT_VERSION, payload).status()).as("activated").isEqualTo(200);

        // The loop checks again: no activation left, so it leaves the loop and starts the protocol.
        FirmwareView v3 = FirmwareView.read(check(b, NEXT_VERSION, systemInfo(b, NEXT_VERSION)).bodyText(), NEXT_VERSION);
        assertThat(v3.hasActivationCode() || v3.hasActivationChallenge()).isFalse();
        assertThat(v3.protocol()).isEqualTo("websocket");
        assertThat(v3.websocket()).containsEntry("url", "wss://api.tenclass.net/xiaozhi/v1/")
                .containsEntry("token", "test-token").containsEntry("version", 1);
    }

    @Test
    void ml307BoardWithoutSerialNumberActivatesWithAnEmptyBodyAndReadsExactCaseHeaders() throws Exception {
        Board b = new Board(ML307_BOARD, "d4:06:06:b6:a9:c1", "0b9d7c55-3a0e-4f43-8a1b-7d2e9c6f5a01", null, true);

        RawResponse first = check(b, APP_VERSION, systemInfo(b, APP_VERSION));
        assertThat(first.status()).as(first.bodyText()).isEqualTo(200);
        assertThat(first.headerExact("Content-Length")).as("Ml307Http finds the length only as Content-Length").isNotNull();
        FirmwareView v1 = FirmwareView.read(first.bodyText(), APP_VERSION);
        assertThat(v1.hasNewVersion()).isTrue();
        assertThat(upgrade(b, v1.firmwareUrl())).isEqualTo(ml307Image);

        FirmwareView v2 = FirmwareView.read(check(b, NEXT_VERSION, systemInfo(b, NEXT_VERSION)).bodyText(), NEXT_VERSION);
        assertThat(v2.hasNewVersion()).isFalse();
        assertThat(v2.hasActivationChallenge()).isTrue();
        assertThat(activate(b, NEXT_VERSION, "{}").status()).isEqualTo(202);
        userEntersCode(ML307_BOARD, v2.activationCode());
        assertThat(activate(b, NEXT_VERSION, "{}").status()).isEqualTo(200);

        FirmwareView v3 = FirmwareView.read(check(b, NEXT_VERSION, systemInfo(b, NEXT_VERSION)).bodyText(), NEXT_VERSION);
        assertThat(v3.hasActivationChallenge()).isFalse();
        assertThat(v3.protocol()).isEqualTo("websocket");
    }

    @Test
    void withoutSystemInformationTheFirmwareChecksByGetAndGetsTheSameAnswer() throws Exception {
        Board b = new Board(WIFI_BOARD, "d4:06:06:b6:a9:f0", "5d3c2b1a-0f9e-4d8c-b7a6-958473625140", null, false);
        byte[] get = request(b, "GET", otaUrl(), setupHeaders(b, APP_VERSION), "");
        assertThat(new String(get, StandardCharsets.ISO_8859_1)).doesNotContain("Content-Length").startsWith("GET /v1/ota/ HTTP/1.1\r\n");
        RawResponse r = send(otaUrl(), get);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        FirmwareView v = FirmwareView.read(r.bodyText(), APP_VERSION);
        // The version comes from User-Agent, so the task for 2.4.2 applies.
        assertThat(v.firmwareVersion()).isEqualTo(NEXT_VERSION);
        assertThat(v.hasNewVersion()).isTrue();
        assertThat(v.hasActivationChallenge()).isTrue();
        assertThat(v.protocol()).isEqualTo("websocket");
        assertThat(upgrade(b, v.firmwareUrl())).isEqualTo(wifiImage);
    }

    @Test
    void aProductWithMqttSwitchesTheFirmwareToMqttAndItStoresEveryMember() throws Exception {
        // The reference server's block (xinnan-tech/xiaozhi-esp32-server core/api/ota_handler.py), plus keepalive.
        system.admin("PUT", "/admin/v1/products/" + MQTT_BOARD + "/xiaozhi", """
                {"mqtt":{"endpoint":"192.168.1.15:1883","client_id":"GID_default@@@d4_06_06_b6_a9_e1@@@d4_06_06_b6_a9_e1",
                         "username":"eyJpcCI6InVua25vd24ifQ==","password":"p","publish_topic":"device-server",
                         "subscribe_topic":"devices/p2p/d4_06_06_b6_a9_e1","keepalive":240}}""", 200);
        Board b = new Board(MQTT_BOARD, "d4:06:06:b6:a9:e1", "1e2d3c4b-5a69-4788-9a1b-2c3d4e5f6071", null, false);
        RawResponse r = check(b, APP_VERSION, systemInfo(b, APP_VERSION));
        assertThat(r.status()).isEqualTo(200);
        FirmwareView v = FirmwareView.read(r.bodyText(), APP_VERSION);
        assertThat(v.protocol()).isEqualTo("mqtt");
        assertThat(v.mqtt()).containsEntry("endpoint", "192.168.1.15:1883").containsEntry("publish_topic", "device-server")
                .containsEntry("keepalive", 240).hasSize(7);
        assertThat(v.hasNewVersion()).isFalse();
    }

    // ---- refusals ---------------------------------------------------------------------------------------

    @Test
    void aWrongHmacOrAMissingOneIsRefusedAndTheDeviceWaits() throws Exception {
        Board b = new Board(WIFI_BOARD, "d4:06:06:b6:a9:aa", "2a3b4c5d-6e7f-4081-9a2b-3c4d5e6f7081", "SN-BREAD-WIFI-0002", false);
        FirmwareView v = FirmwareView.read(check(b, NEXT_VERSION, systemInfo(b, NEXT_VERSION)).bodyText(), NEXT_VERSION);
        // A key the factory did not derive from this serial; then "{}" as sent when esp_hmac_calculate fails.
        RawResponse wrong = activate(b, NEXT_VERSION, activationPayload(b, v.activationChallenge(), new byte[32]));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.bodyText()).isEqualTo("{\"error\":\"Invalid HMAC\"}");
        RawResponse empty = activate(b, NEXT_VERSION, "{}");
        assertThat(empty.status()).isEqualTo(403);
        assertThat(empty.bodyText()).isEqualTo("{\"error\":\"Serial number and HMAC required\"}");
    }

    @Test
    void aBoardWithoutAProductGetsANon200CheckWhichTheFirmwareRetries() throws Exception {
        Board b = new Board("no-such-board", "d4:06:06:b6:a9:ab", "3a3b4c5d-6e7f-4081-9a2b-3c4d5e6f7082", null, false);
        RawResponse r = check(b, APP_VERSION, systemInfo(b, APP_VERSION));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.bodyText()).isEqualTo("{\"error\":\"Invalid OTA request\"}");
    }

    @Test
    void anUnknownDownloadTokenIsNot200SoTheFirmwareDoesNotFlash() throws Exception {
        Board b = new Board(WIFI_BOARD, "d4:06:06:b6:a9:ac", "4a3b4c5d-6e7f-4081-9a2b-3c4d5e6f7083", null, false);
        String url = "http://127.0.0.1:" + system.edgePort() + "/ota/download/ota_0000000000000000000000000";
        RawResponse r = send(url, request(b, "GET", url, Map.of(), null));
        assertThat(r.status()).isEqualTo(404);
    }
}
