package io.otaedge.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.common.testing.Await;
import io.otaedge.control.task.Rollout;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's mixed fleet: devices of all five dialects in one product and one task with a staged
 * rollout (50 %, 100 %) and an auto-pause (failure rate above 30 % once 3 devices finished). Devices in
 * the first stage get their dialect's offer and download through the edge; devices in the second are
 * refused; the edge's byte counts make them DOWNLOADING; two succeed, one fails, the task pauses
 * itself; the admin API and Aliyun's progress call show it all.
 */
class MixedFleetEndToEndTest {

    static final String PRODUCT = "mixed";
    static final String OLD = "1001.0.1";
    static final String TARGET = "1001.0.2";
    static final List<Double> STAGES = List.of(50.0, 100.0);

    @TempDir
    Path dataDir;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Standalone system;
    OtaTestClient client;
    String taskId;

    @Test
    void fiveDialectsOneTaskStagedRolloutAutoPauseAndProgressEverywhere() throws Exception {
        try (Standalone s = Standalone.start(StandaloneEndToEndTest.settings(dataDir, "OTA_EDGE_PROGRESS_FLUSH", "PT0.1S"))) {
            system = s;
            client = new OtaTestClient(s);
            client.createProduct(PRODUCT);
            byte[] firmware = new byte[64_000];
            new Random(4).nextBytes(firmware);
            String fw = client.uploadFirmware(PRODUCT, TARGET, "mixed.bin", firmware).get("id").asText();
            taskId = json(client.adminPost("/admin/v1/products/" + PRODUCT + "/tasks", "{\"firmwareId\":\"" + fw
                    + "\",\"stages\":[50,100],\"failureThreshold\":30,\"minSample\":3}")).get("id").asText();

            String oneNetAuth = client.oneNetAuthorization(PRODUCT);
            String fogAuth = json(client.adminPost("/admin/v1/products/" + PRODUCT + "/fog-token", "")).get("authorization").asText();
            String iotToken = json(client.adminGet("/admin/v1/products/" + PRODUCT + "/aliyun-token")).get("iotToken").asText();
            String projectKey = json(client.adminGet("/admin/v1/products/" + PRODUCT + "/luatos-key")).get("projectKey").asText();

            String oneNet = device(0, i -> Long.toString(1000 + i));
            String xiaozhi = device(0, i -> String.format("aa:bb:cc:00:00:%02x", i));
            String fog = device(0, i -> "fog-" + i);
            String aliyun = device(0, i -> "ali-" + i);
            String luatos = device(0, i -> Long.toString(861551056400000L + i));

            // The second stage is not reached: refused in each dialect's own terms.
            String lateOneNet = device(1, i -> Long.toString(1000 + i));
            assertThat(client.oneNetCheck(oneNetAuth, Long.parseLong(lateOneNet), OLD).get("errno").asInt()).isEqualTo(11);
            HttpResponse<String> lateLuat = get(luatosUrl(projectKey, device(1, i -> Long.toString(861551056400000L + i)), OLD));
            assertThat(lateLuat.statusCode()).isEqualTo(404);
            assertThat(lateLuat.body()).startsWith("21 ").contains("not in rollout");
            assertThat(xiaozhi(device(1, i -> String.format("aa:bb:cc:00:00:%02x", i)), OLD).get("firmware").has("url")).isFalse();

            // The first stage: every dialect's offer, downloaded through the edge.
            JsonNode offer = client.oneNetCheck(oneNetAuth, Long.parseLong(oneNet), OLD).get("data");
            assertThat(offer.get("ipPort").asText()).isEqualTo(s.edgePublicAddress());
            List<String> urls = List.of(
                    "http://" + offer.get("ipPort").asText() + "/ota/download/" + offer.get("token").asText(),
                    xiaozhi(xiaozhi, OLD).get("firmware").get("url").asText(),
                    fogFile(fogAuth, fog, OLD).get("file_url").asText(),
                    aliyun(iotToken, "/living/ota/firmware/file/get", aliyun, ",\"currentVersion\":\"" + OLD + "\"")
                            .get("data").get("url").asText());
            for (String url : urls) {
                assertThat(url).startsWith("http://" + s.edgePublicAddress() + "/ota/download/");
                HttpResponse<byte[]> r = client.get(url);
                assertThat(r.statusCode()).as(url).isEqualTo(200);
                assertThat(r.body()).isEqualTo(firmware);
            }
            HttpResponse<byte[]> luat = client.get(luatosUrl(projectKey, luatos, OLD));
            assertThat(luat.statusCode()).isEqualTo(200);
            assertThat(luat.body()).isEqualTo(firmware);

            // The edge's byte counts move all five to DOWNLOADING, in the rows and in the counters.
            List<String> early = List.of(oneNet, xiaozhi, fog, aliyun, luatos);
            JsonNode progress = Await.until(Duration.ofSeconds(5), this::progress,
                    p -> p.get("counts").get("DOWNLOADING").asInt() == 5, "five devices downloading");
            Map<String, JsonNode> rows = rows(progress);
            assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(early);
            for (JsonNode row : rows.values()) {
                assertThat(row.get("state").asText()).isEqualTo("DOWNLOADING");
                assertThat(row.get("downloadPercent").asInt()).isEqualTo(100);
            }
            JsonNode aliyunView = aliyun(iotToken, "/living/ota/progress/get", aliyun, "").get("data");
            assertThat(aliyunView.get("status").asText()).isEqualTo("UPGRADING");
            assertThat(aliyunView.get("firmwareVersion").asText()).isEqualTo(TARGET);

            // Two succeed (by the version they report), then one failure pushes the stage past 30 %.
            assertThat(xiaozhi(xiaozhi, TARGET).get("firmware").get("version").asText()).isEqualTo(TARGET);
            assertThat(fogCheck(fogAuth, fog, TARGET).get("need_ota").asBoolean()).isFalse();
            assertThat(aliyun(iotToken, "/living/ota/progress/report", aliyun,
                    ",\"firmwareVersion\":\"" + TARGET + "\",\"step\":\"-2\"").get("code").asInt()).isEqualTo(200);

            progress = progress();
            assertThat(progress.get("status").asText()).isEqualTo("PAUSED");
            assertThat(progress.has("autoPausedAt")).isTrue();
            assertThat(progress.get("autoPausedStage").asInt()).isZero();
            assertThat(progress.get("counts").get("SUCCEEDED").asInt()).isEqualTo(2);
            assertThat(progress.get("counts").get("FAILED").asInt()).isEqualTo(1);
            assertThat(progress.get("counts").get("DOWNLOADING").asInt()).isEqualTo(2);
            JsonNode stage0 = progress.get("stages").get(0);
            assertThat(stage0.get("enrolled").asInt()).isEqualTo(5);
            assertThat(stage0.get("succeeded").asInt()).isEqualTo(2);
            assertThat(stage0.get("failed").asInt()).isEqualTo(1);
            assertThat(rows(progress).get(aliyun).get("state").asText()).isEqualTo("FAILED");

            aliyunView = aliyun(iotToken, "/living/ota/progress/get", aliyun, "").get("data");
            assertThat(aliyunView.get("status").asText()).isEqualTo("FAILED");
            assertThat(aliyunView.get("step").asInt()).isEqualTo(-2);
            assertThat(aliyunView.get("desc").asText()).isEqualTo("download failed");

            // Paused: a first-stage device that had no offer yet gets none now.
            String another = device(0, i -> Long.toString(5000 + i));
            assertThat(client.oneNetCheck(oneNetAuth, Long.parseLong(another), OLD).get("errno").asInt()).isEqualTo(11);
        }
    }

    /** The first of the candidate ids whose stable place in this task's rollout is in {@code stage}. */
    String device(int stage, IntFunction<String> candidate) {
        for (int i = 0; ; i++) {
            String id = candidate.apply(i);
            if (Rollout.stageOf(Rollout.place(taskId, id), STAGES) == stage) {
                return id;
            }
        }
    }

    JsonNode progress() {
        try {
            return json(client.adminGet("/admin/v1/tasks/" + taskId + "/progress"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, JsonNode> rows(JsonNode progress) {
        return StreamSupport.stream(progress.get("devices").spliterator(), false)
                .collect(Collectors.toMap(d -> d.get("deviceId").asText(), d -> d));
    }

    JsonNode xiaozhi(String mac, String version) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(client.device("/v1/ota/")))
                .header("Content-Type", "application/json")
                .header("Device-Id", mac).header("Client-Id", "mixed-" + mac)
                .header("User-Agent", PRODUCT + "/" + version).header("Activation-Version", "2")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"application":{"version":"%s","elf_sha256":"1234567890abcdef1234567890abcdef1234567890abcdef"},
                         "board":{"type":"box","name":"box","ssid":"MyWiFi","rssi":-45}}""".formatted(version)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    JsonNode fogCheck(String authorization, String deviceId, String mcuVersion) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(client.device("/api/v1/ota/device/?product_id="
                        + PRODUCT + "&wifi_version=1.0.0&mcu_version=" + mcuVersion + "&device_id=" + deviceId)))
                .header("Authorization", authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode reply = Json.mapper().readTree(r.body());
        assertThat(reply.get("meta").get("code").asInt()).as(r.body()).isZero();
        return reply.get("data");
    }

    JsonNode fogFile(String authorization, String deviceId, String mcuVersion) throws Exception {
        JsonNode files = fogCheck(authorization, deviceId, mcuVersion).get("files");
        assertThat(files.size()).isEqualTo(1);
        return files.get(0);
    }

    JsonNode aliyun(String iotToken, String path, String deviceName, String extra) throws Exception {
        String body = """
                {"id":"1","version":"1.0","request":{"apiVer":"1.0.0","iotToken":"%s"},
                 "params":{"productKey":"%s","deviceName":"%s"%s}}""".formatted(iotToken, PRODUCT, deviceName, extra);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(client.device(path)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode reply = Json.mapper().readTree(r.body());
        assertThat(reply.get("code").asInt()).as(r.body()).isEqualTo(200);
        return reply;
    }

    String luatosUrl(String projectKey, String imei, String version) {
        return "http://127.0.0.1:" + system.edgePort() + "/api/site/firmware_upgrade?project_key=" + projectKey
                + "&firmware_name=" + PRODUCT + "_LuatOS-SoC_EC618&version=" + version + "&imei=" + imei;
    }

    HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return Json.mapper().readTree(r.body());
    }
}
