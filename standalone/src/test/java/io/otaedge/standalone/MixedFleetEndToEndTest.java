package io.otaedge.standalone;

import static io.otaedge.standalone.DialectDevices.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.testing.Await;
import io.otaedge.control.task.Rollout;
import java.net.http.HttpResponse;
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

    Standalone system;
    OtaTestClient client;
    DialectDevices devices;
    String taskId;

    @Test
    void fiveDialectsOneTaskStagedRolloutAutoPauseAndProgressEverywhere() throws Exception {
        try (Standalone s = Standalone.start(StandaloneEndToEndTest.settings(dataDir, "OTA_EDGE_PROGRESS_FLUSH", "PT0.1S"))) {
            system = s;
            client = new OtaTestClient(s);
            devices = new DialectDevices(s, client, PRODUCT);
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
            HttpResponse<String> lateLuat = devices.get(devices.luatosUrl(projectKey, device(1, i -> Long.toString(861551056400000L + i)), OLD));
            assertThat(lateLuat.statusCode()).isEqualTo(404);
            assertThat(lateLuat.body()).startsWith("21 ").contains("not in rollout");
            assertThat(devices.xiaozhi(device(1, i -> String.format("aa:bb:cc:00:00:%02x", i)), OLD).get("firmware").has("url")).isFalse();

            // The first stage: every dialect's offer, downloaded through the edge.
            JsonNode offer = client.oneNetCheck(oneNetAuth, Long.parseLong(oneNet), OLD).get("data");
            assertThat(offer.get("ipPort").asText()).isEqualTo(s.edgePublicAddress());
            List<String> urls = List.of(
                    "http://" + offer.get("ipPort").asText() + "/ota/download/" + offer.get("token").asText(),
                    devices.xiaozhi(xiaozhi, OLD).get("firmware").get("url").asText(),
                    devices.fogFile(fogAuth, fog, OLD).get("file_url").asText(),
                    devices.aliyun(iotToken, "/living/ota/firmware/file/get", aliyun, ",\"currentVersion\":\"" + OLD + "\"")
                            .get("data").get("url").asText());
            for (String url : urls) {
                assertThat(url).startsWith("http://" + s.edgePublicAddress() + "/ota/download/");
                HttpResponse<byte[]> r = client.get(url);
                assertThat(r.statusCode()).as(url).isEqualTo(200);
                assertThat(r.body()).isEqualTo(firmware);
            }
            HttpResponse<byte[]> luat = client.get(devices.luatosUrl(projectKey, luatos, OLD));
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
            JsonNode aliyunView = devices.aliyun(iotToken, "/living/ota/progress/get", aliyun, "").get("data");
            assertThat(aliyunView.get("status").asText()).isEqualTo("UPGRADING");
            assertThat(aliyunView.get("firmwareVersion").asText()).isEqualTo(TARGET);

            // Two succeed (by the version they report), then one failure pushes the stage past 30 %.
            assertThat(devices.xiaozhi(xiaozhi, TARGET).get("firmware").get("version").asText()).isEqualTo(TARGET);
            assertThat(devices.fogCheck(fogAuth, fog, TARGET).get("need_ota").asBoolean()).isFalse();
            assertThat(devices.aliyun(iotToken, "/living/ota/progress/report", aliyun,
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

            aliyunView = devices.aliyun(iotToken, "/living/ota/progress/get", aliyun, "").get("data");
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
}
