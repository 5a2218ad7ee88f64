package io.otaedge.control.dialect.onenet;

import static io.otaedge.control.ControlHarness.seedBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.RunningControlTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A device-scoped Authorization signed with the device's own key, as OneNET's per-device keys allow. */
class OneNetDeviceKeyTest extends RunningControlTest {

    String productId;
    String accessKey;

    @BeforeEach
    void productWithATask() {
        productId = ControlHarness.uniqueId("onenet-dk");
        accessKey = control.createProduct(productId);
        String fw = control.uploadFirmware(productId, "2.0", "device key fw".getBytes(StandardCharsets.US_ASCII)).get("id").asText();
        control.createTask(productId, "{\"firmwareId\":\"" + fw + "\"}");
    }

    String deviceKey(String name) {
        JsonNode reply = ControlHarness.json(control.adminGet("/admin/v1/products/" + productId + "/onenet-devices/" + name + "/key"));
        assertThat(reply.get("deviceName").asText()).isEqualTo(name);
        return reply.get("key").asText();
    }

    static String signed(String key, String res) {
        return OneNetAuthorization.sign(key, res, System.currentTimeMillis() / 1000 + 3600, "sha256");
    }

    @Test
    void aTokenSignedWithTheDevicesKeyForItsOwnResIsAccepted() {
        String key = deviceKey("dev6523");
        assertThat(key).isEqualTo(OneNetDeviceKey.of(accessKey, "dev6523")).isNotEqualTo(accessKey);
        JsonNode reply = control.checkJson(signed(key, "products/" + productId + "/devices/dev6523"), seedBody(6523, "1.0"));
        assertThat(reply.get("errno").asInt()).as(reply.toString()).isZero();
    }

    @Test
    void aDeviceKeyDoesNotSignForTheProductOrAnotherDevice() {
        String key = deviceKey("dev1");
        assertThat(control.checkJson(signed(key, "products/" + productId), seedBody(1, "1.0")).get("errno").asInt()).isEqualTo(1);
        assertThat(control.checkJson(signed(key, "products/" + productId + "/devices/dev2"), seedBody(1, "1.0"))
                .get("errno").asInt()).isEqualTo(1);
    }

    @Test
    void theAdminApiMintsADeviceSignedHeader() {
        JsonNode minted = ControlHarness.json(control.adminPost("/admin/v1/products/" + productId + "/onenet-authorization",
                "{\"res\":\"products/" + productId + "/devices/dev7\",\"signWith\":\"device\"}"));
        String header = minted.get("authorization").asText();
        OneNetAuthorization.Parsed p = OneNetAuthorization.parse(header).orElseThrow();
        assertThat(OneNetAuthorization.verify(p, deviceKey("dev7"), System.currentTimeMillis() / 1000)).isTrue();
        assertThat(OneNetAuthorization.verify(p, accessKey, System.currentTimeMillis() / 1000)).isFalse();
        assertThat(control.checkJson(header, seedBody(7, "1.0")).get("errno").asInt()).isZero();
        assertThat(control.adminPost("/admin/v1/products/" + productId + "/onenet-authorization",
                "{\"signWith\":\"device\"}").statusCode()).isEqualTo(400);
    }
}
