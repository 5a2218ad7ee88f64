package io.otaedge.control.dialect.xiaozhi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.common.token.TokenStore;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** xiaozhi's {@code POST /v1/ota/} and {@code /v1/ota/activate}, replaying seeds/xiaozhi-ota-gateway.txt. */
class XiaozhiOtaTest {

    static ControlHarness control;
    static String accessKey;
    /** The seed's User-Agent names the board, which is the product. */
    static final String PRODUCT = "esp-box-3";
    static final String SEED_DEVICE = "D4:06:06:B6:A9:FB";

    /** The seed's complete request example, verbatim. */
    static final String SEED_BODY = """
            {
              "version": 0,
              "uuid": "web_test_client",
              "application": {
                "name": "xiaoling-web-test",
                "version": "1.0.0",
                "compile_time": "2025-04-16 10:00:00",
                "idf_version": "4.4.3",
                "elf_sha256": "1234567890abcdef1234567890abcdef1234567890abcdef"
              },
              "ota": {
                "label": "xiaoling-web-test"
              },
              "board": {
                "type": "xiaoling-web-test",
                "name": "xiaoling-web-test",
                "ssid": "MyWiFiNetwork",
                "rssi": -45,
                "channel": 6,
                "ip": "192.168.1.100",
                "mac": "D4:06:06:B6:A9:FA"
              },
              "flash_size": 16777216,
              "minimum_free_heap_size": 50000,
              "mac_address": "D4:06:06:B6:A9:FA",
              "chip_model_name": "esp32s3",
              "chip_info": {
                "model": 9,
                "cores": 2,
                "revision": 0,
                "features": 32
              },
              "partition_table": [
                {
                  "label": "nvs",
                  "type": 1,
                  "subtype": 2,
                  "address": 36864,
                  "size": 24576
                }
              ]
            }""";

    /** The seed's minimal request (the curl example). */
    static final String MINIMAL_BODY = """
            {
                "application": {
                  "version": "%s",
                  "elf_sha256": "1234567890abcdef1234567890abcdef1234567890abcdef"
                },
                "board": {
                  "type": "esp-box-3",
                  "name": "esp-box-3",
                  "ssid": "MyWiFi",
                  "rssi": -45
                }
              }""";

    @BeforeAll
    static void start() {
        // Validation is tested here, call after call for one device: its rate limit is DeviceRateLimitTest's.
        control = new ControlHarness("OTA_RATE_DEVICE_PER_MINUTE", "0");
        accessKey = control.createProduct(PRODUCT);
    }

    @AfterAll
    static void stop() {
        control.close();
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    static HttpRequest.Builder seedHeaders(String path, String deviceId) {
        return seedHeaders(control.device(path), deviceId);
    }

    static HttpRequest.Builder seedHeaders(java.net.URI uri, String deviceId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("Accept-Language", "zh-CN")
                .header("Client-Id", "web_test_client")
                .header("User-Agent", "esp-box-3/1.5.6")
                .header("Activation-Version", "2");
        if (deviceId != null) {
            b.header("Device-Id", deviceId);
        }
        return b;
    }

    static HttpResponse<String> ota(String deviceId, String body) {
        return control.send(seedHeaders("/v1/ota/", deviceId).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> activate(String deviceId, String body) {
        return control.send(seedHeaders("/v1/ota/activate", deviceId).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** A call with this {@code Activation-Version} and, when not null, this {@code Serial-Number}. */
    static HttpResponse<String> call(String path, String deviceId, String activationVersion, String serial, String body) {
        HttpRequest.Builder b = seedHeaders(path, deviceId).setHeader("Activation-Version", activationVersion);
        if (serial != null) {
            b.header("Serial-Number", serial);
        }
        return control.send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static String signedBody(String serial, String signingSerial, String challenge) {
        return "{\"algorithm\":\"hmac-sha256\",\"serial_number\":\"" + serial + "\",\"challenge\":\""
                + challenge + "\",\"hmac\":\"" + SerialKeys.expectedHmac(accessKey, signingSerial, challenge) + "\"}";
    }

    static String error(HttpResponse<String> r) {
        return ControlHarness.json(r).get("error").asText();
    }

    static void bind(String code) {
        HttpResponse<String> bound = control.adminPost("/admin/v1/products/" + PRODUCT + "/xiaozhi/activations/" + code, "");
        assertThat(bound.statusCode()).as(bound.body()).isEqualTo(200);
    }

    static String uniqueMac() {
        String hex = ControlHarness.uniqueId("x").substring(2, 8).toUpperCase();
        return "D4:06:" + hex.substring(0, 2) + ":" + hex.substring(2, 4) + ":" + hex.substring(4, 6) + ":01";
    }

    @Test
    void theSeedsCompleteExampleGetsTheSeedsResponseShapeFieldByField() {
        long before = System.currentTimeMillis();
        HttpResponse<String> r = ota(SEED_DEVICE, SEED_BODY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode reply = ControlHarness.json(r);

        assertThat(reply.fieldNames()).toIterable().containsExactly("server_time", "activation", "firmware", "websocket");
        JsonNode time = reply.get("server_time");
        assertThat(time.fieldNames()).toIterable().containsExactly("timestamp", "timeZone", "timezone_offset");
        assertThat(time.get("timestamp").isIntegralNumber()).isTrue();
        assertThat(time.get("timestamp").asLong()).isBetween(before, System.currentTimeMillis());
        assertThat(time.get("timeZone").asText()).isEqualTo("Asia/Shanghai");
        assertThat(time.get("timezone_offset").isInt()).isTrue();
        assertThat(time.get("timezone_offset").asInt()).isEqualTo(480);

        JsonNode activation = reply.get("activation");
        assertThat(activation.fieldNames()).toIterable().containsExactly("code", "message", "challenge", "timeout_ms");
        assertThat(activation.get("timeout_ms").isInt()).isTrue();
        assertThat(activation.get("timeout_ms").asInt()).isEqualTo(XiaozhiConfig.DEFAULT_ACTIVATION_TIMEOUT_MS);
        assertThat(activation.get("code").asText()).matches("[0-9]{6}");
        assertThat(activation.get("message").asText()).isEqualTo(activation.get("code").asText());
        assertThat(activation.get("challenge").asText()).isNotBlank();

        // No task: the device's own version and no url, so the device sees nothing newer.
        JsonNode firmware = reply.get("firmware");
        assertThat(firmware.fieldNames()).toIterable().containsExactly("version");
        assertThat(firmware.get("version").asText()).isEqualTo("1.0.0");

        // A fresh product: the deployment's default websocket block, every member the firmware stores.
        JsonNode websocket = reply.get("websocket");
        assertThat(websocket.fieldNames()).toIterable().containsExactly("url", "token", "version");
        assertThat(websocket.get("url").asText()).isEqualTo(XiaozhiDefaults.DEFAULT_WEBSOCKET_URL);
        assertThat(websocket.get("token").asText()).isEqualTo(XiaozhiDefaults.DEFAULT_WEBSOCKET_TOKEN);
        assertThat(websocket.get("version").isInt()).isTrue();
        assertThat(websocket.get("version").asInt()).isEqualTo(1);
    }

    @Test
    void anUpgradeNamesTheTargetAndAnEdgeUrlWhoseTokenGrantsTheFirmware() {
        String fwId = control.uploadFirmware(PRODUCT, "1.1.0", "xiaozhi firmware".getBytes(StandardCharsets.US_ASCII))
                .get("id").asText();
        control.createTask(PRODUCT, "{\"firmwareId\":\"" + fwId + "\",\"sourceVersions\":[\"0.9.0\"]}");
        String mac = uniqueMac();

        JsonNode firmware = ControlHarness.json(ota(mac, MINIMAL_BODY.formatted("0.9.0"))).get("firmware");

        assertThat(firmware.fieldNames()).toIterable().containsExactly("version", "url");
        assertThat(firmware.get("version").asText()).isEqualTo("1.1.0");
        String url = firmware.get("url").asText();
        assertThat(url).startsWith("http://" + ControlHarness.EDGE + "/ota/download/ota_");
        String token = url.substring(url.lastIndexOf('/') + 1);
        TokenGrant grant = new TokenStore(control.redis.async()).find(token).toCompletableFuture().join().orElseThrow();
        assertThat(grant.firmwareId()).isEqualTo(fwId);
        assertThat(grant.deviceId()).isEqualTo(mac.toLowerCase());

        // MACs are case-insensitive: the lowercase form is the same device, so the same token.
        JsonNode again = ControlHarness.json(ota(mac.toLowerCase(), MINIMAL_BODY.formatted("0.9.0"))).get("firmware");
        assertThat(again.get("url").asText()).isEqualTo(url);
        // The device's version is stored per module.
        JsonNode device = ControlHarness.json(control.adminGet("/admin/v1/products/" + PRODUCT + "/devices/" + mac.toLowerCase()));
        assertThat(device.get("version:default").asText()).isEqualTo("0.9.0");
    }

    @Test
    void aForcedRollbackCarriesForceOneAndAConfirmOneLeavesItToTheDevice() {
        String back = control.uploadFirmware(PRODUCT, "2.0.0", "xiaozhi rollback".getBytes(StandardCharsets.US_ASCII))
                .get("id").asText();
        control.createTask(PRODUCT, "{\"firmwareId\":\"" + back + "\",\"sourceVersions\":[\"2.5.0\",\"2.0.0.1\"],\"rollback\":true}");
        String confirm = control.uploadFirmware(PRODUCT, "3.0.0", "xiaozhi confirm".getBytes(StandardCharsets.US_ASCII))
                .get("id").asText();
        control.createTask(PRODUCT, "{\"firmwareId\":\"" + confirm + "\",\"sourceVersions\":[\"3.5.0\"],\"mode\":\"CONFIRM\",\"rollback\":true}");

        // The device compares numerically: 2.0.0 is older than 2.5.0, and than 2.0.0.1 (longer wins on a tie).
        for (String from : new String[] {"2.5.0", "2.0.0.1"}) {
            JsonNode firmware = ControlHarness.json(ota(uniqueMac(), MINIMAL_BODY.formatted(from))).get("firmware");
            assertThat(firmware.fieldNames()).toIterable().containsExactly("version", "url", "force");
            assertThat(firmware.get("version").asText()).isEqualTo("2.0.0");
            assertThat(firmware.get("force").asInt()).isEqualTo(1);
        }
        JsonNode confirmed = ControlHarness.json(ota(uniqueMac(), MINIMAL_BODY.formatted("3.5.0"))).get("firmware");
        assertThat(confirmed.fieldNames()).toIterable().containsExactly("version", "url");
        assertThat(confirmed.get("version").asText()).isEqualTo("3.0.0");
    }

    @Test
    void websocketAndMqttBlocksComeFromTheProductsConfiguration() {
        HttpResponse<String> put = control.send(control.adminRequest("/admin/v1/products/" + PRODUCT + "/xiaozhi")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("""
                        {"websocket":{"url":"ws://xrobo-io.qiniuapi.com/v1/ws/","token":"t","version":3},
                         "mqtt":{"endpoint":"mqtt.example:8883","client_id":"c","username":"u","password":"p",
                                 "publish_topic":"device-server","keepalive":240},
                         "timeZone":"Europe/Berlin","activationUrl":"http://60.205.58.18:8002","activationTimeoutMs":60000}""")).build());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        try {
            JsonNode reply = ControlHarness.json(ota(uniqueMac(), MINIMAL_BODY.formatted("1.0.0")));
            assertThat(reply.fieldNames()).toIterable()
                    .containsExactly("server_time", "activation", "firmware", "websocket", "mqtt");
            assertThat(reply.get("websocket").get("url").asText()).isEqualTo("ws://xrobo-io.qiniuapi.com/v1/ws/");
            assertThat(reply.get("websocket").get("version").asInt()).isEqualTo(3);
            assertThat(reply.get("mqtt").get("keepalive").asInt()).isEqualTo(240);
            assertThat(reply.get("mqtt").get("publish_topic").asText()).isEqualTo("device-server");
            assertThat(reply.get("server_time").get("timeZone").asText()).isEqualTo("Europe/Berlin");
            assertThat(reply.get("server_time").get("timezone_offset").asInt()).isIn(60, 120);
            String code = reply.get("activation").get("code").asText();
            assertThat(reply.get("activation").get("message").asText()).isEqualTo("http://60.205.58.18:8002\n" + code);
            assertThat(reply.get("activation").get("timeout_ms").asInt()).isEqualTo(60000);
            JsonNode stored = ControlHarness.json(control.adminGet("/admin/v1/products/" + PRODUCT + "/xiaozhi"));
            assertThat(stored.get("activationTimeoutMs").asInt()).isEqualTo(60000);
        } finally {
            control.send(control.adminRequest("/admin/v1/products/" + PRODUCT + "/xiaozhi")
                    .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        }
    }

    @Test
    void activationIs202UntilTheCodeIsEnteredThen200AndTheActivationBlockDisappears() {
        String mac = uniqueMac();
        String serial = "SN-" + mac.replace(":", "");
        JsonNode act = ControlHarness.json(ota(mac, MINIMAL_BODY.formatted("1.0.0"))).get("activation");
        String code = act.get("code").asText();
        String challenge = act.get("challenge").asText();
        // A second check shows the same pending code (MAC in another case: the same device).
        assertThat(ControlHarness.json(ota(mac.toLowerCase(), MINIMAL_BODY.formatted("1.0.0")))
                .get("activation").get("code").asText()).isEqualTo(code);

        String hmac = SerialKeys.expectedHmac(accessKey, serial, challenge);
        String body = "{\"algorithm\":\"hmac-sha256\",\"serial_number\":\"" + serial + "\",\"challenge\":\""
                + challenge + "\",\"hmac\":\"" + hmac + "\"}";
        assertThat(activate(mac, body).statusCode()).isEqualTo(202);

        // A wrong HMAC is refused whatever the state.
        String wrong = body.replace(hmac, SerialKeys.expectedHmac(accessKey, serial + "x", challenge));
        HttpResponse<String> refused = activate(mac, wrong);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(ControlHarness.json(refused).get("error").asText()).isEqualTo("Invalid HMAC");

        // The operator gets the device's key for the factory from the admin API: the same derivation.
        JsonNode key = ControlHarness.json(control.adminGet("/admin/v1/products/" + PRODUCT + "/xiaozhi/serials/" + serial + "/key"));
        assertThat(key.get("key").asText()).isEqualTo(SerialKeys.keyHex(accessKey, serial));

        HttpResponse<String> bound = control.adminPost("/admin/v1/products/" + PRODUCT + "/xiaozhi/activations/" + code, "");
        assertThat(bound.statusCode()).as(bound.body()).isEqualTo(200);
        assertThat(ControlHarness.json(bound).get("deviceId").asText()).isEqualTo(mac.toLowerCase());

        assertThat(activate(mac, body).statusCode()).isEqualTo(200);
        assertThat(activate(mac, body).statusCode()).isEqualTo(200);
        assertThat(ControlHarness.json(ota(mac, MINIMAL_BODY.formatted("1.0.0"))).has("activation")).isFalse();
        // The code is used up.
        assertThat(control.adminPost("/admin/v1/products/" + PRODUCT + "/xiaozhi/activations/" + code, "").statusCode())
                .isEqualTo(404);
    }

    @Test
    void aBoardWithoutSerialNumberActivatesWithAnEmptyBody() {
        // Such a board sends Activation-Version 1 on both calls, and {} to activate.
        String mac = uniqueMac();
        String code = ControlHarness.json(call("/v1/ota/", mac, "1", null, MINIMAL_BODY.formatted("1.0.0")))
                .get("activation").get("code").asText();
        assertThat(call("/v1/ota/activate", mac, "1", null, "{}").statusCode()).isEqualTo(202);
        bind(code);
        assertThat(call("/v1/ota/activate", mac, "1", null, "{}").statusCode()).isEqualTo(200);
        assertThat(ControlHarness.json(call("/v1/ota/", mac, "1", null, MINIMAL_BODY.formatted("1.0.0")))
                .has("activation")).isFalse();
    }

    @Test
    void anEmptyBodyNeverActivatesABoardWithActivationVersion2() {
        String mac = uniqueMac();
        JsonNode act = ControlHarness.json(ota(mac, MINIMAL_BODY.formatted("1.0.0"))).get("activation");
        String code = act.get("code").asText();
        String challenge = act.get("challenge").asText();
        bind(code);

        // Activation-Version 2 with {} (or with no serial_number) skips no HMAC: refused.
        for (String body : new String[] {"{}", "", "{\"challenge\":\"" + challenge + "\",\"hmac\":\"00\"}"}) {
            HttpResponse<String> r = activate(mac, body);
            assertThat(r.statusCode()).as(body).isEqualTo(403);
            assertThat(r.body()).as(body).isEqualTo("{\"error\":\"Serial number and HMAC required\"}");
        }
        // The activation was opened by an Activation-Version 2 call: claiming version 1 now does not help.
        HttpResponse<String> downgraded = call("/v1/ota/activate", mac, "1", null, "{}");
        assertThat(downgraded.statusCode()).isEqualTo(403);
        assertThat(error(downgraded)).isEqualTo("Serial number and HMAC required");
        // Nor does a later OTA call with version 1: the pending activation keeps its rule.
        assertThat(call("/v1/ota/", mac, "1", null, MINIMAL_BODY.formatted("1.0.0")).statusCode()).isEqualTo(200);
        assertThat(call("/v1/ota/activate", mac, "1", null, "{}").statusCode()).isEqualTo(403);

        // The device is still not activated; its own signed call still works.
        assertThat(ControlHarness.json(ota(mac, MINIMAL_BODY.formatted("1.0.0"))).get("activation").get("code").asText())
                .isEqualTo(code);
        String serial = "SN-" + mac.replace(":", "");
        assertThat(activate(mac, signedBody(serial, serial, challenge)).statusCode()).isEqualTo(200);
    }

    @Test
    void oneBoardsValidHmacCannotActivateAnotherMacWhoseRecordedSerialDiffers() {
        String victim = uniqueMac();
        String victimSerial = "SN-" + victim.replace(":", "");
        String attacker = uniqueMac();
        String attackerSerial = "SN-" + attacker.replace(":", "");
        JsonNode act = ControlHarness.json(call("/v1/ota/", victim, "2", victimSerial, MINIMAL_BODY.formatted("1.0.0")))
                .get("activation");
        String code = act.get("code").asText();
        String challenge = act.get("challenge").asText();
        String attackerChallenge = ControlHarness.json(call("/v1/ota/", attacker, "2", attackerSerial,
                MINIMAL_BODY.formatted("1.0.0"))).get("activation").get("challenge").asText();
        // A later OTA call naming another serial for the victim's MAC changes nothing.
        assertThat(call("/v1/ota/", victim, "2", attackerSerial, MINIMAL_BODY.formatted("1.0.0")).statusCode())
                .isEqualTo(200);
        bind(code);

        // The attacker's board signs the victim's challenge with its own (valid) key.
        String forged = signedBody(attackerSerial, attackerSerial, challenge);
        for (String header : new String[] {attackerSerial, null}) {
            HttpResponse<String> r = call("/v1/ota/activate", victim, "2", header, forged);
            assertThat(r.statusCode()).as(String.valueOf(header)).isEqualTo(403);
            assertThat(r.body()).isEqualTo("{\"error\":\"Invalid serial number\"}");
        }
        // The body's serial must match the Serial-Number header too.
        HttpResponse<String> mismatch = call("/v1/ota/activate", victim, "2", attackerSerial,
                signedBody(victimSerial, victimSerial, challenge));
        assertThat(mismatch.statusCode()).isEqualTo(403);
        assertThat(error(mismatch)).isEqualTo("Invalid serial number");
        assertThat(ControlHarness.json(ota(victim, MINIMAL_BODY.formatted("1.0.0"))).has("activation")).isTrue();

        // The victim itself activates; afterwards the challenge is still checked before the state answers.
        String own = signedBody(victimSerial, victimSerial, challenge);
        assertThat(call("/v1/ota/activate", victim, "2", victimSerial, own).statusCode()).isEqualTo(200);
        assertThat(call("/v1/ota/activate", victim, "2", null, own).statusCode()).isEqualTo(200);
        HttpResponse<String> stale = call("/v1/ota/activate", victim, "2", victimSerial,
                signedBody(victimSerial, victimSerial, challenge + "0"));
        assertThat(stale.statusCode()).isEqualTo(403);
        assertThat(error(stale)).isEqualTo("Invalid challenge");
        assertThat(call("/v1/ota/activate", victim, "2", attackerSerial, forged).statusCode()).isEqualTo(403);
        // The attacker's own MAC is untouched: pending, its code never entered.
        assertThat(call("/v1/ota/activate", attacker, "2", attackerSerial,
                signedBody(attackerSerial, attackerSerial, attackerChallenge)).statusCode()).isEqualTo(202);
    }

    @Test
    void missingDeviceIdIs400DeviceIdIsRequired() {
        HttpResponse<String> r = ota(null, SEED_BODY);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"error\":\"Device ID is required\"}");
        assertThat(activate(null, "{}").body()).isEqualTo("{\"error\":\"Device ID is required\"}");
    }

    @Test
    void invalidRequestsAre400InvalidOtaRequest() {
        String mac = uniqueMac();
        String[] bodies = {
            "not json",
            "[]",
            "{\"board\":{\"type\":\"a\",\"name\":\"a\",\"ssid\":\"s\",\"rssi\":-1}}",
            MINIMAL_BODY.formatted("1.0.0").replace("\"board\"", "\"boardx\""),
            MINIMAL_BODY.formatted("1.0.0").replace("\"rssi\": -45", "\"rssi\": \"strong\""),
            MINIMAL_BODY.formatted("1.0.0").replace("\"elf_sha256\"", "\"elf\""),
            MINIMAL_BODY.formatted("1.0.0").replace("\"version\": \"1.0.0\"", "\"version\": 1"),
            MINIMAL_BODY.formatted("bad version!"),
            // The seed's optional fields, present with the wrong type.
            MINIMAL_BODY.formatted("1.0.0").replaceFirst("\\{", "{\"flash_size\":\"big\","),
            MINIMAL_BODY.formatted("1.0.0").replaceFirst("\\{", "{\"psram_size\":[8],"),
            MINIMAL_BODY.formatted("1.0.0").replaceFirst("\\{", "{\"partition_table\":{},"),
            MINIMAL_BODY.formatted("1.0.0").replaceFirst("\\{", "{\"uuid\":7,"),
            MINIMAL_BODY.formatted("1.0.0").replaceFirst("\\{", "{\"chip_model_name\":true,"),
            MINIMAL_BODY.formatted("1.0.0").replaceFirst("\\{", "{\"mac_address\":1,"),
        };
        for (String body : bodies) {
            HttpResponse<String> r = ota(mac, body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(r.body()).as(body).isEqualTo("{\"error\":\"Invalid OTA request\"}");
        }
        for (String header : new String[] {"Client-Id", "Activation-Version"}) {
            HttpRequest.Builder b = HttpRequest.newBuilder(control.device("/v1/ota/"))
                    .header("Device-Id", mac).header("User-Agent", "esp-box-3/1.5.6");
            if (!header.equals("Client-Id")) {
                b.header("Client-Id", "c");
            }
            if (!header.equals("Activation-Version")) {
                b.header("Activation-Version", "1");
            }
            HttpResponse<String> r = control.send(b.POST(HttpRequest.BodyPublishers.ofString(MINIMAL_BODY.formatted("1.0.0"))).build());
            assertThat(r.statusCode()).as(header).isEqualTo(400);
            assertThat(r.body()).isEqualTo("{\"error\":\"Invalid OTA request\"}");
        }
        // A board this service has no product for.
        HttpResponse<String> unknown = control.send(seedHeaders("/v1/ota/", mac).setHeader("User-Agent", "no-such-board/1.0")
                .POST(HttpRequest.BodyPublishers.ofString(MINIMAL_BODY.formatted("1.0.0"))).build());
        assertThat(unknown.statusCode()).isEqualTo(400);
    }

    @Test
    void aCellularBoardWithoutWifiFieldsIsValid() {
        String body = """
                {"application":{"version":"1.0.0","elf_sha256":"ab"},
                 "board":{"type":"ml307","name":"ml307","carrier":"CMCC","csq":20,"imei":"860000000000001","iccid":"8986","cereg":{}}}""";
        assertThat(ota(uniqueMac(), body).statusCode()).isEqualTo(200);
    }

    @Test
    void ethernetAndRndisBoardsWithoutWifiFieldsAreValid() {
        // 78/xiaozhi-esp32 main/boards/common/ethernet_board.cc and rndis_board.cc GetBoardJson: no ssid, no rssi.
        String ethernet = """
                {"application":{"version":"1.0.0","elf_sha256":"ab"},
                 "board":{"type":"eth-board","name":"eth-board","manufacturer":"m","network":"ethernet","ip":"10.0.0.2","mac":"d4:06:06:b6:a9:fa"}}""";
        String rndis = """
                {"application":{"version":"1.0.0","elf_sha256":"ab"},
                 "board":{"type":"rndis","name":"rndis","manufacturer":"m","mac":"d4:06:06:b6:a9:fa"}}""";
        for (String body : new String[] {ethernet, rndis}) {
            HttpResponse<String> r = ota(uniqueMac(), body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    @Test
    void getWithoutABodyIsAnsweredLikePostWithTheUserAgentsVersion() {
        String fwId = control.uploadFirmware(PRODUCT, "4.1.0", "xiaozhi by get".getBytes(StandardCharsets.US_ASCII))
                .get("id").asText();
        control.createTask(PRODUCT, "{\"firmwareId\":\"" + fwId + "\",\"sourceVersions\":[\"4.0.0\"]}");
        String mac = uniqueMac();
        HttpResponse<String> r = control.send(seedHeaders("/v1/ota/", mac).setHeader("User-Agent", "esp-box-3/4.0.0").GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode reply = ControlHarness.json(r);
        assertThat(reply.fieldNames()).toIterable().containsExactly("server_time", "activation", "firmware", "websocket");
        assertThat(reply.get("firmware").get("version").asText()).isEqualTo("4.1.0");
        assertThat(reply.get("firmware").get("url").asText()).startsWith("http://" + ControlHarness.EDGE + "/ota/download/ota_");

        // Same rules as POST: the headers are required, and a User-Agent without a version is invalid.
        HttpResponse<String> noId = control.send(seedHeaders("/v1/ota", null).GET().build());
        assertThat(noId.statusCode()).isEqualTo(400);
        assertThat(noId.body()).isEqualTo("{\"error\":\"Device ID is required\"}");
        HttpResponse<String> noVersion = control.send(seedHeaders("/v1/ota/", mac).setHeader("User-Agent", "esp-box-3").GET().build());
        assertThat(noVersion.statusCode()).isEqualTo(400);
        assertThat(noVersion.body()).isEqualTo("{\"error\":\"Invalid OTA request\"}");
    }

    @Test
    void aVersionTheFirmwareCannotParseIsNeverOffered() {
        // std::stoi("v5") throws inside Ota::ParseVersion and nothing catches it: the device would abort on every check.
        String fwId = control.uploadFirmware(PRODUCT, "v5.0.0", "unparsable".getBytes(StandardCharsets.US_ASCII))
                .get("id").asText();
        control.createTask(PRODUCT, "{\"firmwareId\":\"" + fwId + "\",\"sourceVersions\":[\"4.9.0\"]}");
        JsonNode firmware = ControlHarness.json(ota(uniqueMac(), MINIMAL_BODY.formatted("4.9.0"))).get("firmware");
        assertThat(firmware.fieldNames()).toIterable().containsExactly("version");
        assertThat(firmware.get("version").asText()).isEqualTo("4.9.0");
    }

    @Test
    void blocksTheFirmwareCannotStoreOrUseAreRefused() {
        String path = "/admin/v1/products/" + PRODUCT + "/xiaozhi";
        String[] bodies = {
            "{\"websocket\":{\"url\":\"http://not-a-websocket/\"}}",
            "{\"websocket\":{\"token\":\"t\"}}",
            "{\"websocket\":{\"url\":\"wss://a/\",\"version\":\"3\"}}",
            "{\"websocket\":{\"url\":\"wss://a/\",\"a_sixteen_chars_\":\"x\"}}",
            "{\"websocket\":{\"url\":\"wss://a/\",\"extra\":{\"nested\":1}}}",
            "{\"websocket\":{\"url\":\"wss://a/\",\"ratio\":1.5}}",
            "{\"websocket\":{\"url\":\"wss://a/\",\"big\":4294967296}}",
            "{\"websocket\":{\"url\":\"wss://a/\",\"long\":\"" + "x".repeat(4000) + "\"}}",
            "{\"mqtt\":{\"client_id\":\"c\"}}",
            "{\"mqtt\":{\"endpoint\":\"m:1883\",\"keepalive\":\"240\"}}",
            "{\"activationTimeoutMs\":0}",
            "{\"activationTimeoutMs\":\"30000\"}",
        };
        for (String body : bodies) {
            HttpResponse<String> r = control.adminPut(path, body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
        }
        // Nothing was stored: the product still has the defaults.
        JsonNode stored = ControlHarness.json(control.adminGet(path));
        assertThat(stored.has("websocket")).isFalse();
        assertThat(stored.has("activationTimeoutMs")).isFalse();
    }
}
