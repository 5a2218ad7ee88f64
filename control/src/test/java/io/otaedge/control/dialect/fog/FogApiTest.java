package io.otaedge.control.dialect.fog;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MXCHIP FOG's management and device calls, replaying seeds/mxchip-fog-ota.txt field by field. */
class FogApiTest {

    static ControlHarness control;
    static final byte[] MCU = "mcu firmware 1.0.1".getBytes(StandardCharsets.US_ASCII);
    static final byte[] WIFI = "wifi firmware 1.0.1".getBytes(StandardCharsets.US_ASCII);

    String productId;
    String authorization;
    String mcuMd5;
    String wifiMd5;

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
    void productWithMcuAndWifiFirmware() {
        productId = ControlHarness.uniqueId("fog");
        control.createProduct(productId);
        HttpResponse<String> t = control.adminPost("/admin/v1/products/" + productId + "/fog-token", "");
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        authorization = ControlHarness.json(t).get("authorization").asText();
        assertThat(authorization).matches("token [0-9a-f]{40}");
        mcuMd5 = upload("mcu", MCU);
        wifiMd5 = upload("wifi", WIFI);
    }

    String upload(String module, byte[] bytes) {
        HttpResponse<String> r = control.upload(productId, "version=1.0.1&module=" + module + "&fileName=ota.bin", bytes);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return ControlHarness.json(r).get("md5").asText();
    }

    HttpResponse<String> call(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(control.device(path)).header("Authorization", authorization);
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return control.send(b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)).build());
    }

    JsonNode ok(HttpResponse<String> r, String message) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode reply = ControlHarness.json(r);
        assertThat(reply.fieldNames()).toIterable().containsExactly("meta", "data");
        assertThat(reply.get("meta").get("code").asInt()).as(r.body()).isZero();
        assertThat(reply.get("meta").get("message").asText()).isEqualTo(message);
        return reply.get("data");
    }

    static void error(HttpResponse<String> r, int code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode reply = ControlHarness.json(r);
        assertThat(reply.get("meta").get("code").asInt()).as(r.body()).isEqualTo(code);
        assertThat(reply.get("meta").get("message").asText()).isNotBlank();
    }

    String files() {
        return "/api/v1/ota/" + productId + "/files/";
    }

    /** The seed's upload parameters, with this test's md5 (the catalog checks it). */
    String seedUpload(int ugType, String md5, String extra) {
        return """
                {"file_name":"ota.bin","file_url":"https://xxx.com/a.bin","md5":"%s","size":"20kb","ug_type":%d,
                 "version":"1.0.1","description":"","customize":"xxx"%s}""".formatted(md5, ugType, extra);
    }

    JsonNode uploadFile(int ugType, String md5, String extra) {
        return ok(call("POST", files(), seedUpload(ugType, md5, extra)), "upload file ok");
    }

    @Test
    void aFileForAnArchivedProductIsAParameterErrorInFogsWords() {
        assertThat(control.adminPatch("/admin/v1/products/" + productId, "{\"status\":\"archived\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> r = call("POST", files(), seedUpload(0, mcuMd5, ""));
        error(r, FogReply.PARAMETER_ERROR);
        assertThat(ControlHarness.json(r).at("/meta/message").asText()).startsWith("参数错误:").contains("archived");
    }

    @Test
    void uploadReturnsTheSeedsFileObjectFieldByField() {
        JsonNode data = uploadFile(0, mcuMd5, "");
        assertThat(data.fieldNames()).toIterable().containsExactly("id", "product", "ota_type", "file_name", "file_url",
                "size", "md5", "version", "mac_range", "customize", "created_at", "updated_at", "description", "status",
                "is_delete", "extra");
        assertThat(data.get("id").isIntegralNumber()).isTrue();
        assertThat(data.get("id").asLong()).isEqualTo(1);
        assertThat(data.get("product").asText()).isEqualTo(productId);
        assertThat(data.get("ota_type").asInt()).isZero();
        assertThat(data.get("file_name").asText()).isEqualTo("ota.bin");
        assertThat(data.get("file_url").asText()).isEqualTo("https://xxx.com/a.bin");
        assertThat(data.get("size").asText()).isEqualTo("20kb");
        assertThat(data.get("md5").asText()).isEqualTo(mcuMd5);
        assertThat(data.get("version").asText()).isEqualTo("1.0.1");
        assertThat(data.get("mac_range").isNull()).isTrue();
        assertThat(data.get("customize").asText()).isEqualTo("xxx");
        assertThat(data.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
        assertThat(data.get("updated_at").asText()).isEqualTo(data.get("created_at").asText());
        assertThat(data.get("description").asText()).isEmpty();
        assertThat(data.get("status").asInt()).isZero();
        assertThat(data.get("is_delete").asBoolean()).isFalse();
        assertThat(data.get("extra").isObject()).isTrue();
        assertThat(data.get("extra").size()).isZero();
    }

    @Test
    void listIsPaginatedWithCountPageSizeNextPreviousResults() {
        uploadFile(0, mcuMd5, "");
        uploadFile(1, wifiMd5, "");
        JsonNode page = ok(call("GET", files(), null), "info list");
        assertThat(page.fieldNames()).toIterable().containsExactly("count", "page_size", "next", "previous", "results");
        assertThat(page.get("count").asInt()).isEqualTo(2);
        assertThat(page.get("page_size").asInt()).isEqualTo(10);
        assertThat(page.get("next").isNull()).isTrue();
        assertThat(page.get("previous").isNull()).isTrue();
        assertThat(page.get("results").size()).isEqualTo(2);
        assertThat(page.get("results").get(1).get("ota_type").asInt()).isEqualTo(1);

        JsonNode first = ok(call("GET", files() + "?page_size=1", null), "info list");
        assertThat(first.get("results").size()).isEqualTo(1);
        assertThat(first.get("next").asText()).endsWith(files() + "?page=2&page_size=1");
        JsonNode second = ok(call("GET", files() + "?page=2&page_size=1", null), "info list");
        assertThat(second.get("results").get(0).get("id").asLong()).isEqualTo(2);
        assertThat(second.get("next").isNull()).isTrue();
        assertThat(second.get("previous").asText()).endsWith(files() + "?page=1&page_size=1");
    }

    @Test
    void getOneFileAndItsErrors() {
        long id = uploadFile(0, mcuMd5, "").get("id").asLong();
        JsonNode data = ok(call("GET", files() + id, null), "file info");
        assertThat(data.get("id").asLong()).isEqualTo(id);
        assertThat(data.get("customize").asText()).isEqualTo("xxx");
        error(call("GET", files() + "99", null), 10000);
        error(call("GET", files() + "abc", null), 10000);
    }

    @Test
    void updateReturnsTheSeedsShapeAndMovesTheTaskToTheNewFirmware() {
        long id = uploadFile(0, mcuMd5, "").get("id").asLong();
        String newMd5 = control.upload(productId, "version=1.0.2&module=mcu&fileName=ota.bin", "mcu 1.0.2".getBytes(StandardCharsets.US_ASCII))
                .body().replaceAll(".*\"md5\":\"([0-9a-f]+)\".*", "$1");
        JsonNode data = ok(call("PUT", files() + id, """
                {"file_url":"https://xxx.com/a.bin","version":"1.0.2","md5":"%s","size":"20kb",
                 "mac_range":["DEF1LUK","DEF1L2G"],"status":1}""".formatted(newMd5)), "update file ok");
        assertThat(data.fieldNames()).toIterable()
                .containsExactly("ota_type", "file_name", "file_url", "size", "md5", "version", "mac_range", "extra");
        assertThat(data.get("version").asText()).isEqualTo("1.0.2");
        assertThat(data.get("mac_range").get(0).asText()).isEqualTo("DEF1LUK");
        assertThat(data.get("mac_range").get(1).asText()).isEqualTo("DEF1L2G");
        assertThat(data.get("file_name").asText()).isEqualTo("ota.bin");

        // Online now, for the devices in mac_range only (MACs compared case-insensitively).
        JsonNode listed = checkDevice("def1luk", "1.0.0", "1.0.0");
        assertThat(listed.get("need_ota").asBoolean()).isTrue();
        assertThat(listed.get("files").get(0).get("version").asText()).isEqualTo("1.0.2");
        assertThat(checkDevice("other", "1.0.0", "1.0.0").get("need_ota").asBoolean()).isFalse();

        error(call("PUT", files() + id, "{\"version\":\"1.0.2\"}"), 10000);
        error(call("PUT", files() + "99", seedUpload(0, mcuMd5, "")), 10000);
    }

    @Test
    void updatingAnOnlineFileStopsItsOldTask() {
        long id = uploadFile(0, mcuMd5, ",\"status\":1").get("id").asLong();
        assertThat(checkDevice("other", "1.0.0", "1.0.0").get("need_ota").asBoolean()).isTrue();
        String newMd5 = ControlHarness.json(control.upload(productId, "version=1.0.2&module=mcu&fileName=ota.bin",
                "mcu 1.0.2".getBytes(StandardCharsets.US_ASCII))).get("md5").asText();

        ok(call("PUT", files() + id, """
                {"file_url":"https://xxx.com/a.bin","version":"1.0.2","md5":"%s","size":"20kb",
                 "mac_range":["DEF1LUK"],"status":1}""".formatted(newMd5)), "update file ok");

        // The 1.0.1 task for every device is stopped: a device outside the new mac_range is offered nothing.
        assertThat(checkDevice("other", "1.0.0", "1.0.0").get("need_ota").asBoolean()).isFalse();
        JsonNode tasks = ControlHarness.json(control.adminGet("/admin/v1/products/" + productId + "/tasks")).get("items");
        assertThat(tasks.get(0).get("status").asText()).isEqualTo("RUNNING");
        assertThat(tasks.get(1).get("status").asText()).isEqualTo("STOPPED");
    }

    @Test
    void deletingAFileStopsItsTask() {
        long id = uploadFile(0, mcuMd5, "").get("id").asLong();

        ok(call("DELETE", files() + id, null), "任务删除成功");

        JsonNode tasks = ControlHarness.json(control.adminGet("/admin/v1/products/" + productId + "/tasks")).get("items");
        assertThat(tasks.get(0).get("status").asText()).isEqualTo("STOPPED");
    }

    @Test
    void deleteOnlyTestFilesWithTheSeedsCodes() {
        long test = uploadFile(0, mcuMd5, "").get("id").asLong();
        long online = uploadFile(1, wifiMd5, ",\"status\":1").get("id").asLong();

        JsonNode data = ok(call("DELETE", files() + test, null), "任务删除成功");
        assertThat(data.fieldNames()).toIterable().containsExactly("ot_id");
        assertThat(data.get("ot_id").isNull()).isTrue();
        error(call("DELETE", files() + test, null), 10500);
        error(call("DELETE", files() + "12345", null), 10500);
        error(call("DELETE", files() + online, null), 10501);
        error(call("DELETE", files() + "x", null), 10000);
        assertThat(ok(call("GET", files(), null), "info list").get("count").asInt()).isEqualTo(1);
    }

    @Test
    void uploadErrorsAre10000() {
        error(call("POST", files(), "{\"file_name\":\"ota.bin\"}"), 10000);
        error(call("POST", files(), "not json"), 10000);
        error(call("POST", files(), seedUpload(0, "00000000000000000000000000000000", "")), 10000);
        error(call("POST", files(), seedUpload(0, mcuMd5, "").replace("1.0.1", "9.9.9")), 10000);
        error(call("POST", files(), seedUpload(3, mcuMd5, "")), 10000);
        // A form post works the same as JSON.
        HttpResponse<String> form = control.send(HttpRequest.newBuilder(control.device(files()))
                .header("Authorization", authorization).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("file_name=ota.bin&file_url=https%3A%2F%2Fxxx.com%2Fa.bin&md5="
                        + wifiMd5 + "&size=20kb&ug_type=1&version=1.0.1&mac_range=AA,BB")).build());
        JsonNode data = ok(form, "upload file ok");
        assertThat(data.get("ota_type").asInt()).isEqualTo(1);
        assertThat(data.get("mac_range").size()).isEqualTo(2);
    }

    JsonNode checkDevice(String deviceId, String wifi, String mcu) {
        return ok(call("GET", "/api/v1/ota/device/?product_id=" + productId + "&wifi_version=" + wifi + "&mcu_version=" + mcu
                + (deviceId == null ? "" : "&device_id=" + deviceId), null), "ota file info");
    }

    @Test
    void deviceCheckListsMcuAndWifiFilesWithEdgeUrls() {
        assertThat(checkDevice(null, "1.0.0", "1.0.0").get("need_ota").asBoolean()).isFalse();
        assertThat(checkDevice(null, "1.0.0", "1.0.0").get("files").size()).isZero();

        uploadFile(0, mcuMd5, ",\"status\":1");
        JsonNode one = checkDevice("C8:93:46:00:00:01", "1.0.0", "1.0.0");
        assertThat(one.get("files").size()).isEqualTo(1);
        assertThat(one.get("files").get(0).get("ota_type").asInt()).isZero();

        uploadFile(1, wifiMd5, ",\"status\":1,\"customize\":\"w\"");
        JsonNode data = checkDevice("C8:93:46:00:00:01", "1.0.0", "1.0.0");
        assertThat(data.fieldNames()).toIterable().containsExactly("need_ota", "files");
        assertThat(data.get("need_ota").asBoolean()).isTrue();
        JsonNode files = data.get("files");
        assertThat(files.size()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            JsonNode f = files.get(i);
            assertThat(f.fieldNames()).toIterable().containsExactly("file_url", "md5", "version", "ota_type", "customize");
            assertThat(f.get("ota_type").asInt()).isEqualTo(i);
            assertThat(f.get("version").asText()).isEqualTo("1.0.1");
            assertThat(f.get("file_url").asText()).startsWith("http://" + ControlHarness.EDGE + "/ota/download/ota_");
        }
        assertThat(files.get(0).get("md5").asText()).isEqualTo(mcuMd5);
        assertThat(files.get(0).get("customize").asText()).isEqualTo("xxx");
        assertThat(files.get(1).get("md5").asText()).isEqualTo(wifiMd5);
        assertThat(files.get(1).get("customize").asText()).isEqualTo("w");
        String url = files.get(1).get("file_url").asText();
        TokenGrant grant = new TokenStore(control.redis.async()).find(url.substring(url.lastIndexOf('/') + 1))
                .toCompletableFuture().join().orElseThrow();
        assertThat(grant.deviceId()).isEqualTo("c8:93:46:00:00:01");
        assertThat(grant.md5()).isEqualTo(wifiMd5);

        // Only wifi still outdated: one file; the seed's "devce" path is the same call.
        JsonNode wifiOnly = ok(call("GET", "/api/v1/ota/devce/?product_id=" + productId
                + "&wifi_version=1.0.0&mcu_version=1.0.1&device_id=C8:93:46:00:00:01", null), "ota file info");
        assertThat(wifiOnly.get("files").size()).isEqualTo(1);
        assertThat(wifiOnly.get("files").get(0).get("ota_type").asInt()).isEqualTo(1);
        // Without a device id, devices of the product share one token per file.
        String a = checkDevice(null, "1.0.0", "1.0.0").get("files").get(0).get("file_url").asText();
        String b = checkDevice(null, "1.0.0", "1.0.0").get("files").get(0).get("file_url").asText();
        assertThat(a).isEqualTo(b);
    }

    @Test
    void deviceCheckErrorsAre10000() {
        error(call("GET", "/api/v1/ota/device/?product_id=" + productId + "&wifi_version=1.0.0", null), 10000);
        error(call("GET", "/api/v1/ota/device/?wifi_version=1.0.0&mcu_version=1.0.0", null), 10000);
        error(call("GET", "/api/v1/ota/device/?product_id=" + productId + "&wifi_version=1.0.0&mcu_version=bad!", null), 10000);
        // A broken %-escape is a parameter error in the envelope, not a bare 500.
        rawError(control.rawDevice("GET", "/api/v1/ota/device/?product_id=" + productId + "&wifi_version=1.0.%zz&mcu_version=1.0.0",
                null, null, "Authorization: " + authorization));
    }

    @Test
    void aVersionIsNotRepeatedWithinAProductPerUgType() {
        uploadFile(0, mcuMd5, "");
        error(call("POST", files(), seedUpload(0, mcuMd5, "")), 10000);
        // The seed's own sample: the wifi image may carry the mcu image's version.
        uploadFile(1, wifiMd5, "");
        assertThat(ok(call("GET", files(), null), "info list").get("count").asInt()).isEqualTo(2);
    }

    @Test
    void listAndVersionReportParameterErrorsAre10000() {
        error(call("GET", files() + "?page=0", null), 10000);
        error(call("GET", files() + "?page_size=101", null), 10000);
        rawError(control.rawDevice("GET", files() + "?page=%zz", null, null, "Authorization: " + authorization));
        rawError(control.rawDevice("PUT", "/api/v1/ota/version/", "application/x-www-form-urlencoded",
                "device_id=dev-1&wifi_version=1.0.%zz&mcu_version=1.0.0", "Authorization: " + authorization));
    }

    static void rawError(ControlHarness.RawResponse r) {
        assertThat(r.status()).as(r.head() + r.body()).isEqualTo(200);
        assertThat(r.json().get("meta").get("code").asInt()).as(r.body()).isEqualTo(10000);
    }

    @Test
    void versionReportIsStoredAndCompletesTheDevicesTask() {
        uploadFile(0, mcuMd5, ",\"status\":1");
        checkDevice("dev-1", "1.0.0", "1.0.0");
        JsonNode data = ok(call("PUT", "/api/v1/ota/version/",
                "{\"device_id\":\"dev-1\",\"wifi_version\":\"1.0.0\",\"mcu_version\":\"1.0.1\"}"), "update version ok");
        assertThat(data.isObject()).isTrue();
        assertThat(data.size()).isZero();
        JsonNode device = ControlHarness.json(control.adminGet("/admin/v1/products/" + productId + "/devices/dev-1"));
        assertThat(device.get("version:mcu").asText()).isEqualTo("1.0.1");
        assertThat(device.get("version:wifi").asText()).isEqualTo("1.0.0");
        String taskId = ControlHarness.json(control.adminGet("/admin/v1/products/" + productId + "/tasks")).get("items").get(0).get("id").asText();
        JsonNode progress = ControlHarness.json(control.adminGet("/admin/v1/tasks/" + taskId + "/progress"));
        assertThat(progress.get("counts").get("SUCCEEDED").asInt()).isEqualTo(1);

        error(call("PUT", "/api/v1/ota/version/", "{\"device_id\":\"dev-1\",\"wifi_version\":\"1.0.0\"}"), 10000);
    }

    @Test
    void aFilesTaskTakesTheTaskFactorysDefaultsAndItsMacsAsDevices() {
        uploadFile(0, mcuMd5, ",\"status\":1,\"mac_range\":[\"DEF1LUK\"]");
        JsonNode task = ControlHarness.json(control.adminGet("/admin/v1/products/" + productId + "/tasks")).get("items").get(0);

        assertThat(task.get("status").asText()).isEqualTo("RUNNING");
        assertThat(task.get("devices").toString()).isEqualTo("[\"def1luk\"]");
        assertThat(task.get("retry").asInt()).isEqualTo(3);
        assertThat(task.get("interval").asInt()).isEqualTo(60);
        assertThat(task.get("minSample").asInt()).isEqualTo(10);
        assertThat(task.get("stages").toString()).isEqualTo("[100.0]");
    }

    @Test
    void aFileOnAnInvalidFirmwareIsRefusedWith10000() {
        HttpResponse<String> up = control.upload(productId, "version=1.0.3&module=mcu&fileName=ota.bin",
                "mcu 1.0.3".getBytes(StandardCharsets.US_ASCII));
        JsonNode fw = ControlHarness.json(up);
        HttpResponse<String> invalid = control.adminPut("/admin/v1/products/" + productId + "/firmwares/" + fw.get("id").asText()
                + "/status", "{\"status\":\"INVALID\"}");
        assertThat(invalid.statusCode()).as(invalid.body()).isEqualTo(200);

        HttpResponse<String> r = call("POST", files(), seedUpload(0, fw.get("md5").asText(), "").replace("1.0.1", "1.0.3"));

        error(r, 10000);
        assertThat(ControlHarness.json(r).get("meta").get("message").asText()).contains("INVALID");
        assertThat(ok(call("GET", files(), null), "info list").get("count").asInt()).isZero();
    }

    @Test
    void aMissingOrForeignTokenIs401() {
        HttpResponse<String> none = control.send(HttpRequest.newBuilder(control.device(files())).GET().build());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(ControlHarness.json(none).get("meta").get("code").asInt()).isEqualTo(401);
        String other = ControlHarness.uniqueId("fog");
        control.createProduct(other);
        assertThat(call("GET", "/api/v1/ota/" + other + "/files/", null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = control.send(HttpRequest.newBuilder(control.device(files()))
                .header("Authorization", "token d79be1d657d9a8b45f6f903620e84b06cbf225e0").GET().build());
        assertThat(wrong.statusCode()).isEqualTo(401);
        // The token is judged before the body: a caller without it learns nothing of its parameters.
        for (String[] call : new String[][] {{"POST", files()}, {"PUT", files() + "1/"}, {"PUT", "/api/v1/ota/version/"}}) {
            HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.device(call[1])).header("Content-Type", "application/json")
                    .method(call[0], HttpRequest.BodyPublishers.ofString("not json")).build());
            assertThat(r.statusCode()).as(call[0] + " " + call[1] + " " + r.body()).isEqualTo(401);
        }
        // The device check too: missing parameters or another product's id are not looked at before the token.
        for (String query : new String[] {"", "?wifi_version=1.0.0", "?product_id=" + productId + "&wifi_version=1.0.0&mcu_version=bad!"}) {
            HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.device("/api/v1/ota/device/" + query)).GET().build());
            assertThat(r.statusCode()).as(query + " " + r.body()).isEqualTo(401);
        }
        HttpResponse<String> foreign = call("GET", "/api/v1/ota/device/?product_id=" + other + "&wifi_version=1.0.0&mcu_version=1.0.0", null);
        assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(401);
        assertThat(ControlHarness.json(foreign).get("meta").get("code").asInt()).isEqualTo(401);
    }

    @Test
    void theSeedsOssTokenIsRefusedWithCode501AfterTheToken() {
        // The seed's call as written: GET /oss_token/ota/ with the seed's (made-up) token is a token failure first.
        HttpResponse<String> seed = control.send(HttpRequest.newBuilder(control.device("/oss_token/ota/"))
                .header("Authorization", "token d79be1d657d9a8b45f6f903620e84b06cbf225e0").GET().build());
        assertThat(seed.statusCode()).as(seed.body()).isEqualTo(401);
        assertThat(ControlHarness.json(seed).get("meta").get("code").asInt()).isEqualTo(401);
        // With the product's token: no OSS on a self-hosted server, and the message names the way in.
        for (String path : new String[] {"/oss_token/ota/", "/oss_token/ota"}) {
            HttpResponse<String> r = call("GET", path, null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(501);
            JsonNode reply = ControlHarness.json(r);
            assertThat(reply.fieldNames()).toIterable().containsExactly("meta", "data");
            assertThat(reply.get("meta").get("code").asInt()).isEqualTo(501);
            assertThat(reply.get("meta").get("message").asText())
                    .contains("oss token")
                    .contains("POST /admin/v1/products/" + productId + "/firmwares")
                    .contains("/api/v1/ota/" + productId + "/files/");
            assertThat(reply.get("data").isObject()).isTrue();
            assertThat(r.body()).doesNotContain("Exception");
        }
    }
}
