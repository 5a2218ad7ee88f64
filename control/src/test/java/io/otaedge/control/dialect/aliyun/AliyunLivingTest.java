package io.otaedge.control.dialect.aliyun;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Aliyun Living's OTA calls, replaying seeds/aliyun-living-progress.txt and the siblings PROTOCOLS.md lists. */
class AliyunLivingTest {

    static ControlHarness control;
    static final byte[] FIRMWARE = "aliyun firmware 1.0.1".getBytes(StandardCharsets.US_ASCII);
    static final String DEVICE = "wt0jxxxxxxxnU0pc4AHX";

    String productKey;
    String iotToken;
    String iotId;
    String md5;
    String taskId;

    @BeforeAll
    static void start() {
        control = new ControlHarness();
    }

    @AfterAll
    static void stop() {
        control.close();
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    @BeforeEach
    void productWithATask() {
        productKey = ControlHarness.uniqueId("a1L");
        control.createProduct(productKey);
        JsonNode token = ControlHarness.json(control.adminGet("/admin/v1/products/" + productKey + "/aliyun-token?deviceName=" + DEVICE));
        iotToken = token.get("iotToken").asText();
        iotId = token.get("iotId").asText();
        JsonNode fw = control.uploadFirmware(productKey, "1.0.1", FIRMWARE);
        md5 = fw.get("md5").asText();
        taskId = control.createTask(productKey, "{\"firmwareId\":\"" + fw.get("id").asText() + "\"}").get("id").asText();
    }

    /** The seed's request envelope with this test's token and params. */
    static String envelope(String token, String params) {
        return """
                {
                	"id": "1509086454180",
                	"version": "1.0",
                	"request":{
                		"apiVer": "1.0.0",
                		"iotToken": "%s"
                	},
                	"params":%s
                }""".formatted(token, params);
    }

    JsonNode call(String path, String body) {
        HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.device(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode reply = ControlHarness.json(r);
        assertThat(reply.fieldNames()).toIterable().containsExactly("id", "code", "message", "localizedMsg", "data");
        assertThat(reply.get("id").asText()).matches("[0-9a-f-]{36}");
        return reply;
    }

    JsonNode ok(String path, String params) {
        JsonNode reply = call(path, envelope(iotToken, params));
        assertThat(reply.get("code").asInt()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.get("message").isNull()).isTrue();
        assertThat(reply.get("localizedMsg").isNull()).isTrue();
        return reply.get("data");
    }

    void error(String path, String params, int code) {
        JsonNode reply = call(path, envelope(iotToken, params));
        assertThat(reply.get("code").asInt()).as(reply.toString()).isEqualTo(code);
        assertThat(reply.get("message").asText()).isNotBlank();
        assertThat(reply.get("data").isNull()).isTrue();
    }

    /** The seed's params block, with this product's identifiers and versions of the test's choosing. */
    String seedParams(String currentVersion, String firmwareVersion) {
        return """
                {
                		"iotId": "%s",
                		"productKey": "%s",
                		"deviceName": "%s",
                		"moduleName": "default",
                		"currentVersion": "%s",
                		"firmwareVersion": "%s"
                	}""".formatted(iotId, productKey, DEVICE, currentVersion, firmwareVersion);
    }

    String byName(String extra) {
        return "{\"productKey\":\"" + productKey + "\",\"deviceName\":\"" + DEVICE + "\"" + extra + "}";
    }

    @Test
    void theSeedsRequestGetsTheSeedsResponseShapeThroughTheWholeUpgrade() {
        JsonNode data = ok("/living/ota/progress/get", seedParams("1.0.0", "1.0.1"));
        assertThat(data.fieldNames()).toIterable().containsExactly("iotId", "moduleName", "currentVersion",
                "firmwareVersion", "step", "desc", "otaType", "needConfirm", "status");
        assertThat(data.get("iotId").asText()).isEqualTo(iotId);
        assertThat(data.get("moduleName").asText()).isEqualTo("default");
        assertThat(data.get("currentVersion").asText()).isEqualTo("1.0.0");
        assertThat(data.get("firmwareVersion").asText()).isEqualTo("1.0.1");
        assertThat(data.get("step").isInt()).isTrue();
        assertThat(data.get("step").asInt()).isZero();
        assertThat(data.get("desc").isTextual()).isTrue();
        assertThat(data.get("otaType").asText()).isIn("CONFIRM", "COMPELLENT");
        assertThat(data.get("needConfirm").isBoolean()).isTrue();
        assertThat(data.get("status").asText()).isEqualTo("TO_BE_UPGRADED");

        assertThat(ok("/living/ota/progress/report", byName(",\"moduleName\":\"default\",\"firmwareVersion\":\"1.0.1\",\"step\":\"10\",\"desc\":\"xxxxxx\"")).isNull()).isTrue();
        data = ok("/living/ota/progress/get", byName(""));
        assertThat(data.get("status").asText()).isEqualTo("UPGRADING");
        assertThat(data.get("step").asInt()).isEqualTo(10);
        assertThat(data.get("desc").asText()).isEqualTo("xxxxxx");

        // Step 100 is not success: only the version the device reports afterwards is.
        ok("/living/ota/progress/report", byName(",\"firmwareVersion\":\"1.0.1\",\"step\":\"100\""));
        assertThat(ok("/living/ota/progress/get", byName("")).get("status").asText()).isEqualTo("UPGRADING");
        data = ok("/living/ota/progress/get", seedParams("1.0.1", "1.0.1"));
        assertThat(data.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(data.get("step").asInt()).isEqualTo(100);
        assertThat(data.get("currentVersion").asText()).isEqualTo("1.0.1");
        // The engine's view agrees.
        JsonNode progress = ControlHarness.json(control.adminGet("/admin/v1/tasks/" + taskId + "/progress"));
        assertThat(progress.get("counts").get("SUCCEEDED").asInt()).isEqualTo(1);
    }

    @Test
    void theIotIdWinsOverAConflictingProductKeyAndDeviceName() {
        String conflicting = seedParams("1.0.0", "1.0.1").replace("\"" + DEVICE + "\"", "\"someone-else\"");
        assertThat(conflicting).contains("someone-else");
        JsonNode data = ok("/living/ota/progress/get", conflicting);
        assertThat(data.get("iotId").asText()).isEqualTo(iotId);
        // The device the iotId names checked in; the named one never did.
        assertThat(control.adminGet("/admin/v1/products/" + productKey + "/devices/" + DEVICE).statusCode()).isEqualTo(200);
        assertThat(control.adminGet("/admin/v1/products/" + productKey + "/devices/someone-else").statusCode()).isEqualTo(404);
    }

    @Test
    void negativeStepsFailWithTheirMeaning() {
        ok("/living/ota/progress/get", byName(",\"currentVersion\":\"1.0.0\""));
        String[] meaning = {"upgrade failed", "download failed", "checksum mismatch", "flashing failed"};
        for (int code = -1; code >= -4; code--) {
            ok("/living/ota/progress/report", byName(",\"firmwareVersion\":\"1.0.1\",\"step\":\"" + code + "\""));
            JsonNode data = ok("/living/ota/progress/get", byName(""));
            assertThat(data.get("status").asText()).isEqualTo("FAILED");
            assertThat(data.get("step").asInt()).isEqualTo(code);
            assertThat(data.get("desc").asText()).isEqualTo(meaning[-code - 1]);
        }
    }

    @Test
    void aDeviceUpgradingLongerThanTenMinutesIsReportedFailed() {
        ok("/living/ota/progress/get", byName(",\"currentVersion\":\"1.0.0\""));
        ok("/living/ota/progress/report", byName(",\"firmwareVersion\":\"1.0.1\",\"step\":\"100\""));
        assertThat(ok("/living/ota/progress/get", byName("")).get("status").asText()).isEqualTo("UPGRADING");

        // The state machine's rule (OTA_UPGRADE_TIMEOUT, 10 minutes by default): backdate the device's entry
        // into UPGRADING instead of waiting ten minutes.
        String since = Long.toString(Instant.now().minus(Duration.ofMinutes(11)).toEpochMilli());
        control.redis.async().hset(io.otaedge.common.redis.RedisKeys.deviceTask(productKey, taskId, DEVICE),
                java.util.Map.of("upgradingAt", since, "updatedAt", since)).toCompletableFuture().join();

        JsonNode data = ok("/living/ota/progress/get", byName(""));
        assertThat(data.get("status").asText()).isEqualTo("FAILED");
        assertThat(data.get("step").asInt()).isEqualTo(-1);
        assertThat(data.get("desc").asText()).isEqualTo("upgrade timed out");
    }

    @Test
    void firmwareFileGetNamesThePendingFirmwareWithAnEdgeUrl() {
        JsonNode data = ok("/living/ota/firmware/file/get", byName(",\"currentVersion\":\"1.0.0\""));
        assertThat(data.fieldNames()).toIterable()
                .containsExactly("iotId", "moduleName", "version", "size", "sign", "signMethod", "url", "status");
        assertThat(data.get("version").asText()).isEqualTo("1.0.1");
        assertThat(data.get("size").isTextual()).isTrue();
        assertThat(data.get("size").asText()).isEqualTo(Integer.toString(FIRMWARE.length));
        assertThat(data.get("sign").asText()).isEqualTo(md5);
        assertThat(data.get("signMethod").asText()).isEqualTo("MD5");
        assertThat(data.get("url").asText()).startsWith("http://" + ControlHarness.EDGE + "/ota/download/ota_");
        assertThat(data.get("status").asText()).isEqualTo("TO_BE_UPGRADED");
        // The device's stored version is used when none is given; up to date means no data.
        assertThat(ok("/living/ota/firmware/file/get", byName("")).get("version").asText()).isEqualTo("1.0.1");
        assertThat(ok("/living/ota/firmware/file/get", byName(",\"currentVersion\":\"1.0.1\"")).isNull()).isTrue();
        error("/living/ota/firmware/file/get", "{\"productKey\":\"" + productKey + "\",\"deviceName\":\"never-seen\"}", 460);
    }

    @Test
    void progressListAndConfirm() {
        ok("/living/ota/progress/get", byName(",\"currentVersion\":\"1.0.0\""));
        JsonNode list = ok("/living/ota/progress/list", "{\"iotId\":\"" + iotId + "\"}");
        assertThat(list.isArray()).isTrue();
        assertThat(list.size()).isEqualTo(1);
        assertThat(list.get(0).get("firmwareVersion").asText()).isEqualTo("1.0.1");
        assertThat(list.get(0).get("currentVersion").asText()).isEqualTo("1.0.0");

        // A forced (COMPELLENT) task needs no confirmation; confirming it records nothing.
        assertThat(list.get(0).get("otaType").asText()).isEqualTo("COMPELLENT");
        assertThat(list.get(0).get("needConfirm").asBoolean()).isFalse();
        assertThat(ok("/living/ota/confirm", "{\"devices\":[{\"iotId\":\"" + iotId + "\"}]}").isNull()).isTrue();
        JsonNode progress = ControlHarness.json(control.adminGet("/admin/v1/tasks/" + taskId + "/progress"));
        assertThat(progress.get("devices").get(0).has("confirmedAt")).isFalse();

        StringBuilder many = new StringBuilder("{\"devices\":[");
        for (int i = 0; i < 21; i++) {
            many.append(i == 0 ? "" : ",").append("{\"productKey\":\"").append(productKey).append("\",\"deviceName\":\"d").append(i).append("\"}");
        }
        error("/living/ota/confirm", many.append("]}").toString(), 460);
    }

    @Test
    void wrongOrMissingTokenIsTheSeeds403() {
        JsonNode reply = call("/living/ota/progress/get", envelope("token", seedParams("1.0.0", "1.0.1")));
        assertThat(reply.get("code").asInt()).isEqualTo(403);
        assertThat(reply.get("message").asText()).isEqualTo("request forbidden.");
        assertThat(reply.get("localizedMsg").asText()).isEqualTo("请求被禁止");
        assertThat(reply.get("data").isNull()).isTrue();
        JsonNode noRequest = call("/living/ota/progress/get", "{\"id\":\"1\",\"params\":" + byName("") + "}");
        assertThat(noRequest.get("code").asInt()).isEqualTo(403);
        // Another product's token does not open this one.
        String other = ControlHarness.uniqueId("a1L");
        control.createProduct(other);
        String otherToken = ControlHarness.json(control.adminGet("/admin/v1/products/" + other + "/aliyun-token")).get("iotToken").asText();
        assertThat(call("/living/ota/progress/get", envelope(otherToken, byName(""))).get("code").asInt()).isEqualTo(403);
    }

    @Test
    void theSeedsOwnExampleAsWrittenIsTheSeeds403() {
        String seedExample = """
                {
                	"id": "1509086454180",
                	"version": "1.0",
                	"request":{
                		"apiVer": "1.0.0",
                		"iotToken": "token"
                	},
                	"params":{
                		"iotId": "7bvbyRItBXQxxxxxxQt9X00109ea700",
                		"productKey": "a1LxxxxXUqY",
                		"deviceName": "wt0jxxxxxxxnU0pc4AHX",
                		"moduleName": "default",
                		"currentVersion": "v1.0.0",
                		"firmwareVersion": "v1.0.0"
                	}
                }""";
        for (String path : new String[] {"/living/ota/progress/get", "/living/ota/firmware/file/get",
                "/living/ota/progress/list", "/living/ota/progress/report"}) {
            JsonNode reply = call(path, seedExample);
            assertThat(reply.get("code").asInt()).as(path).isEqualTo(403);
            assertThat(reply.get("message").asText()).isEqualTo("request forbidden.");
            assertThat(reply.get("localizedMsg").asText()).isEqualTo("请求被禁止");
            assertThat(reply.get("data").isNull()).isTrue();
        }
    }

    @Test
    void theTokenIsJudgedBeforeTheParametersOnEveryRoute() {
        // Each of these is a parameter error (460) with the product's token; with a wrong token, 403 first.
        String[][] calls = {
                {"/living/ota/progress/get", byName(",\"moduleName\":\"mcu\"")},
                {"/living/ota/progress/get", "{\"productKey\":\"" + productKey + "\",\"deviceName\":\"bad name!\"}"},
                {"/living/ota/firmware/file/get", byName(",\"currentVersion\":\"not a version!\"")},
                {"/living/ota/progress/list", "{\"productKey\":\"" + productKey + "\",\"deviceName\":\"bad name!\"}"},
                {"/living/ota/progress/report", byName(",\"firmwareVersion\":\"1.0.1\",\"step\":\"ten\"")},
                {"/living/ota/confirm", "{\"devices\":[{\"iotId\":\"" + iotId + "\"}],\"moduleName\":\"bad module!\"}"},
        };
        for (String[] c : calls) {
            assertThat(call(c[0], envelope("token", c[1])).get("code").asInt()).as(c[0] + " " + c[1]).isEqualTo(403);
            assertThat(call(c[0], "{\"id\":\"1\",\"params\":" + c[1] + "}").get("code").asInt()).as(c[0]).isEqualTo(403);
            assertThat(call(c[0], envelope(iotToken, c[1])).get("code").asInt()).as(c[0] + " " + c[1]).isEqualTo(460);
        }
        StringBuilder many = new StringBuilder("{\"devices\":[");
        for (int i = 0; i < 21; i++) {
            many.append(i == 0 ? "" : ",").append("{\"productKey\":\"").append(productKey).append("\",\"deviceName\":\"d").append(i).append("\"}");
        }
        assertThat(call("/living/ota/confirm", envelope("token", many + "]}")).get("code").asInt()).isEqualTo(403);
    }

    @Test
    void aCallThatNamesNoProductOfOursIsForbiddenWhateverItsToken() {
        // The token is a product's: an iotId that is not ours, a missing or unknown product, or a body that is
        // not an envelope cannot be authorized, so they are 403 and say nothing about the parameters.
        assertThat(call("/living/ota/progress/get", envelope(iotToken, "{\"iotId\":\"7bvbyRItBXQxxxxxxQt9X00109ea700\"}"))
                .get("code").asInt()).isEqualTo(403);
        assertThat(call("/living/ota/progress/get", envelope(iotToken, "{\"deviceName\":\"" + DEVICE + "\"}"))
                .get("code").asInt()).isEqualTo(403);
        assertThat(call("/living/ota/progress/get", envelope(iotToken, "{\"productKey\":\"no-such-product\",\"deviceName\":\"d\"}"))
                .get("code").asInt()).isEqualTo(403);
        assertThat(call("/living/ota/confirm", envelope(iotToken, "{\"devices\":[]}")).get("code").asInt()).isEqualTo(403);
        assertThat(call("/living/ota/progress/get", "nope").get("code").asInt()).isEqualTo(403);
        assertThat(call("/living/ota/progress/get", "{\"id\":\"1\",\"request\":{\"iotToken\":\"" + iotToken + "\"}}")
                .get("code").asInt()).isEqualTo(403);
    }

    @Test
    void parameterErrorsAre460() {
        error("/living/ota/progress/get", "{\"productKey\":\"" + productKey + "\"}", 460);
        error("/living/ota/progress/get", byName(",\"moduleName\":\"mcu\""), 460);
        error("/living/ota/progress/report", byName(",\"step\":\"10\""), 460);
        error("/living/ota/progress/report", byName(",\"firmwareVersion\":\"1.0.1\",\"step\":\"101\""), 460);
        error("/living/ota/progress/report", byName(",\"firmwareVersion\":\"1.0.1\",\"step\":\"-5\""), 460);
        error("/living/ota/progress/report", byName(",\"firmwareVersion\":\"1.0.1\",\"step\":\"ten\""), 460);
        error("/living/ota/progress/report", byName(",\"firmwareVersion\":\"9.9.9\",\"step\":\"10\""), 460);
    }

    @Test
    void aConfirmTaskNeedsConfirmationUntilAUserConfirms() {
        control.adminPost("/admin/v1/tasks/" + taskId + "/stop", "");
        String fw = control.uploadFirmware(productKey, "1.0.2", "aliyun firmware 1.0.2".getBytes(StandardCharsets.US_ASCII))
                .get("id").asText();
        String confirmTask = control.createTask(productKey, "{\"firmwareId\":\"" + fw + "\",\"mode\":\"CONFIRM\"}")
                .get("id").asText();
        JsonNode data = ok("/living/ota/progress/get", byName(",\"currentVersion\":\"1.0.0\""));
        assertThat(data.get("firmwareVersion").asText()).isEqualTo("1.0.2");
        assertThat(data.get("otaType").asText()).isEqualTo("CONFIRM");
        assertThat(data.get("needConfirm").asBoolean()).isTrue();
        assertThat(data.get("status").asText()).isEqualTo("TO_BE_UPGRADED");

        assertThat(ok("/living/ota/confirm", "{\"devices\":[{\"iotId\":\"" + iotId + "\"}]}").isNull()).isTrue();
        data = ok("/living/ota/progress/get", byName(""));
        assertThat(data.get("needConfirm").asBoolean()).isFalse();
        assertThat(data.get("status").asText()).isEqualTo("TO_BE_UPGRADED");
        JsonNode progress = ControlHarness.json(control.adminGet("/admin/v1/tasks/" + confirmTask + "/progress"));
        assertThat(progress.get("devices").get(0).has("confirmedAt")).isTrue();
    }
}
