package io.otaedge.conformance.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.conformance.ConformanceSystem;
import io.otaedge.conformance.RawHttp;
import io.otaedge.conformance.RawResponse;
import io.otaedge.control.dialect.onenet.OneNetAuthorization;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The real device requests the fuzzer starts from, one product set up so each is answered normally: the
 * shapes the conformance tests replay (OneNET's OTA SDK and AT firmware, FOG v2 SDK, xiaozhi-esp32, Aliyun's
 * Living and Link SDKs, LuatOS' libfota2) and the seeds' examples, with valid credentials, so mutations reach
 * the parsers behind authentication as well as the refusals in front of it.
 */
final class FuzzCorpus {

    static final String PRODUCT = "fuzz-box";
    static final String MAC = "d4:06:06:b6:a9:fb";

    final List<WireRequest> device;
    final List<WireRequest> edge;
    final List<WireRequest> admin;
    /** A normal request per port and the status it must get, to show the server still serves after a run. */
    final WireRequest deviceProbe;
    final WireRequest edgeProbe;
    final WireRequest adminProbe;

    private FuzzCorpus(ConformanceSystem system) throws Exception {
        JsonNode product = system.admin("POST", "/admin/v1/products", "{\"productId\":\"" + PRODUCT + "\",\"name\":\"Fuzz\"}", 201);
        byte[] firmware = new byte[4096];
        for (int i = 0; i < firmware.length; i++) {
            firmware[i] = (byte) (i * 7);
        }
        String fw = system.uploadFirmware(PRODUCT, "default", "2.0.0", "fuzz.bin", firmware).get("id").asText();
        String task = system.createTask(PRODUCT, "{\"firmwareId\":\"" + fw + "\"}");
        String auth = OneNetAuthorization.sign(product.get("accessKey").asText(), "products/" + PRODUCT, 2524579200L, "sha1");
        String fogAuth = system.admin("POST", "/admin/v1/products/" + PRODUCT + "/fog-token", "", 200).get("authorization").asText();
        String iotToken = system.admin("GET", "/admin/v1/products/" + PRODUCT + "/aliyun-token", null, 200).get("iotToken").asText();
        String projectKey = system.admin("GET", "/admin/v1/products/" + PRODUCT + "/luatos-key", null, 200).get("projectKey").asText();
        String host = "127.0.0.1:" + system.devicePort();

        WireRequest check = WireRequest.of("GET", "/ota/south/check?dev_id=6523&manuf=001&model=00108&type=1&version=1.0", null,
                "host", "ota.heclouds.com", "Content-Type", "application/json", "Connection", "keep-alive", "authorization", auth);
        RawResponse offer = RawHttp.exchange(system.devicePort(), check.bytes());
        JsonNode data = Json.mapper().readTree(offer.body()).get("data");
        assertThat(data).as(offer.text()).isNotNull();
        String token = data.get("token").asText();

        String aliyun = """
                {"id":"1","version":"1.0","request":{"apiVer":"1.0.0","iotToken":"%s"},
                 "params":{"productKey":"%s","deviceName":"dev-1","moduleName":"default","currentVersion":"1.0.0"%s}}""";
        device = List.of(
                check,
                WireRequest.of("POST", "/ota/south/check", """
                        {"dev_id": 6523, "manuf": "China Mobile", "model": "M5310", "type": 1, "version": "1.2",
                         "signals": 10, "powers": 30, "cdn": true}""",
                        "Host", "ota.heclouds.com", "Content-Type", "application/json", "Authorization", auth),
                WireRequest.of("POST", "/ota/device/version?dev_id=6523", "{\"s_version\":\"1.0\"}",
                        "host", "ota.heclouds.com", "Content-Type", "application/json", "authorization", auth),
                WireRequest.of("GET", "/ota/south/download/" + token + "/check?dev_id=6523", null,
                        "host", "ota.heclouds.com", "authorization", auth),
                WireRequest.of("POST", "/ota/south/device/download/" + token + "/progress?dev_id=6523", "{\"step\":10}",
                        "host", "ota.heclouds.com", "Content-Type", "application/json", "authorization", auth),
                WireRequest.of("POST", "/ota/south/report?dev_id=6523&token=" + token, "{\"result\":201}",
                        "host", "ota.heclouds.com", "Content-Type", "application/json", "authorization", auth),
                WireRequest.of("GET", "/api/v1/ota/device/?product_id=" + PRODUCT + "&wifi_version=1.0.0&mcu_version=1.0.0&device_id=dev-1",
                        null, "Host", host, "Authorization", fogAuth, "Connection", "close"),
                WireRequest.of("PUT", "/api/v1/ota/version/", "{\"device_id\":\"dev-1\",\"wifi_version\":\"1.0.0\",\"mcu_version\":\"1.0.1\"}",
                        "Host", host, "Authorization", fogAuth, "Content-Type", "application/json"),
                WireRequest.of("PUT", "/api/v1/ota/version/", "device_id=dev-1&wifi_version=1.0.0&mcu_version=1.0.1",
                        "Host", host, "Authorization", fogAuth, "Content-Type", "application/x-www-form-urlencoded"),
                WireRequest.of("POST", "/v1/ota/", """
                        {"application":{"version":"1.0.0","elf_sha256":"1234567890abcdef1234567890abcdef1234567890abcdef"},
                         "board":{"type":"box","name":"box","ssid":"MyWiFi","rssi":-45},
                         "mac_address":"D4:06:06:B6:A9:FB","flash_size":16777216,"partition_table":[{"label":"nvs","size":24576}]}""",
                        "Host", host, "Content-Type", "application/json", "Accept-Language", "zh-CN", "Device-Id", MAC,
                        "Client-Id", "web_test_client", "User-Agent", PRODUCT + "/1.0.0", "Activation-Version", "2"),
                WireRequest.of("GET", "/v1/ota/", null, "Host", host, "Device-Id", MAC, "Client-Id", "c1",
                        "User-Agent", PRODUCT + "/1.0.0", "Activation-Version", "1"),
                WireRequest.of("POST", "/v1/ota/activate", "{\"algorithm\":\"hmac-sha256\",\"serial_number\":\"SN-1\",\"challenge\":\"x\",\"hmac\":\"00\"}",
                        "Host", host, "Content-Type", "application/json", "Device-Id", MAC, "Client-Id", "c1",
                        "User-Agent", PRODUCT + "/1.0.0", "Activation-Version", "2", "Serial-Number", "SN-1"),
                WireRequest.of("POST", "/living/ota/firmware/file/get", aliyun.formatted(iotToken, PRODUCT, ""),
                        "Host", host, "Content-Type", "application/json", "Connection", "close"),
                WireRequest.of("POST", "/living/ota/progress/get", aliyun.formatted(iotToken, PRODUCT, ",\"firmwareVersion\":\"2.0.0\""),
                        "Host", host, "Content-Type", "application/json"),
                WireRequest.of("POST", "/living/ota/progress/list", aliyun.formatted(iotToken, PRODUCT, ""),
                        "Host", host, "Content-Type", "application/json"),
                WireRequest.of("POST", "/living/ota/progress/report", aliyun.formatted(iotToken, PRODUCT,
                        ",\"firmwareVersion\":\"2.0.0\",\"step\":\"50\",\"desc\":\"\""), "Host", host, "Content-Type", "application/json"),
                WireRequest.of("POST", "/living/ota/confirm", """
                        {"id":"1","version":"1.0","request":{"apiVer":"1.0.0","iotToken":"%s"},
                         "params":{"devices":[{"productKey":"%s","deviceName":"dev-1"}],"moduleName":"default"}}"""
                        .formatted(iotToken, PRODUCT), "Host", host, "Content-Type", "application/json"));

        String edgeHost = "127.0.0.1:" + system.edgePort();
        String luatos = "/api/site/firmware_upgrade?project_key=" + projectKey + "&firmware_name=" + PRODUCT
                + "_LuatOS-SoC_EC618&version=1.0.0&imei=861551056400001";
        edge = List.of(
                WireRequest.of("GET", "/ota/download/" + token, null, "Host", edgeHost),
                WireRequest.of("GET", "/ota/download/" + token, null, "Host", edgeHost,
                        "Accept", "text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8",
                        "Range", "bytes=100-", "Content-Length", "0"),
                WireRequest.of("GET", "/ota/download/" + token, null, "Accept", "*/*", "User-Agent", "Mozilla/5.0",
                        "Cache-Control", "no-cache", "Connection", "close", "Range", "bytes=2000-", "Host", edgeHost),
                WireRequest.of("GET", "/ota/download/" + token, null, "Host", "127.0.0.1", "Connection", "Keepalive",
                        "Range", "bytes=0-1023", "Accept-Encoding", "identity"),
                WireRequest.of("HEAD", "/ota/download/" + token, null, "Host", edgeHost),
                WireRequest.of("GET", "/ota/download/" + token, null, "Host", edgeHost, "Range", "bytes=0-9,20-29,-5",
                        "If-Range", "Thu, 01 Jan 1970 00:00:00 GMT"),
                WireRequest.of("GET", "/ota/download/" + token, null, "Host", edgeHost, "If-None-Match", "\"abc\", W/\"def\"",
                        "If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"),
                WireRequest.of("GET", "/ota/south/download/" + token + "?s_id=1212", null, "Range", "bytes=0-1023",
                        "host", "ota.heclouds.com", "authorization", auth),
                WireRequest.of("GET", "/ota/south/download/" + token, null, "Range", "bytes=1024-2047", "Host", "ota.heclouds.com"),
                WireRequest.of("GET", luatos, null, "Host", edgeHost),
                WireRequest.of("GET", "/ota/south/check?dev_id=6523&manuf=001&model=00108&type=1&version=1.0", null,
                        "host", "ota.heclouds.com", "Content-Type", "application/json", "authorization", auth),
                WireRequest.of("POST", "/ota/south/device/download/" + token + "/progress?dev_id=6523", "{\"step\":20}",
                        "host", "ota.heclouds.com", "Content-Type", "application/json", "authorization", auth));

        String bearer = "Bearer " + system.standalone().adminKey();
        admin = List.of(
                WireRequest.of("GET", "/admin/v1/products", null, "Authorization", bearer),
                WireRequest.of("GET", "/admin/v1/products/" + PRODUCT, null, "Authorization", bearer),
                WireRequest.of("POST", "/admin/v1/products", "{\"productId\":\"fuzz-other\",\"name\":\"Other\"}",
                        "Authorization", bearer, "Content-Type", "application/json"),
                WireRequest.of("POST", "/admin/v1/products/" + PRODUCT + "/firmwares?version=9.0&module=default&fileName=a.bin",
                        "firmware bytes", "Authorization", bearer, "Content-Type", "application/octet-stream"),
                WireRequest.of("POST", "/admin/v1/products/" + PRODUCT + "/tasks", "{\"firmwareId\":\"" + fw
                        + "\",\"sourceVersions\":[\"0.1\"],\"devices\":[\"a\",\"b\"]}", "Authorization", bearer,
                        "Content-Type", "application/json"),
                WireRequest.of("GET", "/admin/v1/tasks/" + task + "/progress", null, "Authorization", bearer),
                WireRequest.of("GET", "/admin/v1/tasks/" + task, null, "Authorization", bearer),
                WireRequest.of("POST", "/admin/v1/products/" + PRODUCT + "/onenet-authorization", "{\"expiresIn\":\"PT1H\",\"method\":\"sha256\"}",
                        "Authorization", bearer, "Content-Type", "application/json"),
                WireRequest.of("GET", "/admin/v1/products/" + PRODUCT + "/devices/dev-1", null, "Authorization", bearer),
                WireRequest.of("GET", "/admin/v1/tokens/" + token, null, "Authorization", bearer),
                WireRequest.of("GET", "/metrics", null));

        deviceProbe = check;
        edgeProbe = edge.get(0);
        adminProbe = admin.get(1);
    }

    static FuzzCorpus setUp(ConformanceSystem system) throws Exception {
        return new FuzzCorpus(system);
    }

    /** The probe still gets its normal answer. */
    static void assertServes(int port, WireRequest probe, int status) throws Exception {
        RawResponse r = RawHttp.exchange(port, probe.bytes());
        assertThat(r.status()).as(new String(probe.bytes(), StandardCharsets.ISO_8859_1) + "\n→ " + r.text()).isEqualTo(status);
    }
}
