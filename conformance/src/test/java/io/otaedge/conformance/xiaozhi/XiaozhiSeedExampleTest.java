package io.otaedge.conformance.xiaozhi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.conformance.ConformanceSystem;
import io.otaedge.conformance.RawHttp;
import io.otaedge.conformance.RawResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's own example ({@code shared/seeds/xiaozhi-ota-gateway.txt}, "完整示例"): its request head as written
 * (header lines in its order, its {@code Host}), its JSON body verbatim, framed with the {@code Content-Length}
 * HTTP needs; and its documented answers: 200 with {@code server_time}, {@code activation}, {@code firmware},
 * {@code websocket}, and its two 400s.
 */
class XiaozhiSeedExampleTest {

    static final String BODY = """
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
              "ota": {\s
                "label": "xiaoling-web-test"\s
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
              "chip_info": {\s
                "model": 9,\s
                "cores": 2,\s
                "revision": 0,\s
                "features": 32\s
              },
              "partition_table": [
                {\s
                  "label": "nvs",\s
                  "type": 1,\s
                  "subtype": 2,\s
                  "address": 36864,\s
                  "size": 24576\s
                }
              ]
            }
            """;

    static final String[] HEAD = {
        "POST /v1/ota/ HTTP/1.1",
        "Host: xrobo.qiniuapi.com",
        "Content-Type: application/json",
        "Accept-Language: zh-CN",
        "Device-Id: D4:06:06:B6:A9:FB",
        "Client-Id: web_test_client",
        "User-Agent: esp-box-3/1.5.6",
        "Activation-Version: 2",
    };

    @TempDir
    static Path data;
    static ConformanceSystem system;

    @BeforeAll
    static void start() throws Exception {
        system = ConformanceSystem.start(data);
        system.createProduct("esp-box-3");
        JsonNode fw = system.uploadFirmware("esp-box-3", "default", "1.0.1", "esp-box-3.bin", new byte[] {1, 2, 3, 4});
        system.createTask("esp-box-3", "{\"firmwareId\":\"" + fw.get("id").asText() + "\",\"sourceVersions\":[\"1.0.0\"]}");
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    static RawResponse send(String body, String... head) throws Exception {
        String[] lines = new String[head.length + 1];
        System.arraycopy(head, 0, lines, 0, head.length);
        lines[head.length] = "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length;
        return RawHttp.exchange(system.devicePort(), RawHttp.request(body, lines));
    }

    @Test
    void theSeedsExampleGetsTheSeedsDocumentedAnswer() throws Exception {
        long before = System.currentTimeMillis();
        RawResponse r = send(BODY, HEAD);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(r.headerExact("Content-Type")).isEqualTo("application/json");
        JsonNode reply = Json.mapper().readTree(r.bodyText());
        assertThat(reply.fieldNames()).toIterable().containsSubsequence("server_time", "activation", "firmware", "websocket");

        JsonNode time = reply.get("server_time");
        assertThat(time.get("timestamp").asLong()).isBetween(before, System.currentTimeMillis());
        assertThat(time.get("timeZone").asText()).isEqualTo("Asia/Shanghai");
        assertThat(time.get("timezone_offset").asInt()).isEqualTo(480);

        JsonNode activation = reply.get("activation");
        assertThat(activation.get("code").asText()).matches("[0-9]{6}");
        assertThat(activation.get("message").asText()).endsWith(activation.get("code").asText());
        assertThat(activation.get("challenge").isTextual()).isTrue();

        JsonNode firmware = reply.get("firmware");
        assertThat(firmware.get("version").asText()).isEqualTo("1.0.1");
        assertThat(firmware.get("url").asText()).startsWith("http://").contains("/ota/download/ota_");

        assertThat(reply.get("websocket").get("url").asText()).startsWith("ws");
    }

    @Test
    void withoutDeviceIdItIsTheSeeds400() throws Exception {
        String[] head = java.util.Arrays.stream(HEAD).filter(l -> !l.startsWith("Device-Id")).toArray(String[]::new);
        RawResponse r = send(BODY, head);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.bodyText()).isEqualTo("{\"error\":\"Device ID is required\"}");
    }

    @Test
    void withoutApplicationItIsTheSeedsInvalidOtaRequest() throws Exception {
        RawResponse r = send(BODY.replace("\"application\"", "\"app\""), HEAD);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.bodyText()).isEqualTo("{\"error\":\"Invalid OTA request\"}");
    }
}
