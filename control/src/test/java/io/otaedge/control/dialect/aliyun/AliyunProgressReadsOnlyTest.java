package io.otaedge.control.dialect.aliyun;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.progress.DownloadProgressStore.Increment;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import io.otaedge.control.RedisSnapshot;
import io.otaedge.control.progress.ServedBytesFold;
import io.otaedge.control.progress.ServedDownload;
import io.otaedge.control.task.TaskRepository;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Aliyun Living's {@code /living/ota/progress/get} only reads (issue #15 §3): a device the edges served bytes to
 * while it waits answers UPGRADING with the share served as its step, and every Redis key of its product and task
 * stays byte for byte as it was; after the periodic fold recorded the move the call answers the same. The call's
 * shape is the seed's ({@code seeds/aliyun-living-progress.txt}).
 */
class AliyunProgressReadsOnlyTest {

    static ControlHarness control;

    @BeforeAll
    static void start() {
        // Control's own fold stays out of the way: only the test runs it.
        control = new ControlHarness("OTA_TASK_METRICS_INTERVAL", "PT1H");
    }

    @AfterAll
    static void stop() {
        control.close();
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    static JsonNode call(String path, String iotToken, String params) {
        String body = "{\"id\":\"1\",\"version\":\"1.0\",\"request\":{\"apiVer\":\"1.0.0\",\"iotToken\":\"" + iotToken
                + "\"},\"params\":" + params + "}";
        HttpResponse<String> r = control.send(HttpRequest.newBuilder(control.device(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode reply = ControlHarness.json(r);
        assertThat(reply.get("code").asInt()).as(reply.toString()).isEqualTo(200);
        return reply.get("data");
    }

    @Test
    void progressGetAnswersUpgradingWithTheServedStepWithoutWritingAndTheFoldRecordsIt() {
        String pk = ControlHarness.uniqueId("a1R");
        control.createProduct(pk);
        String token = ControlHarness.json(control.adminGet("/admin/v1/products/" + pk + "/aliyun-token")).get("iotToken").asText();
        String fw = control.uploadFirmware(pk, "1.0.1", new byte[2000]).get("id").asText();
        String taskId = control.createTask(pk, "{\"firmwareId\":\"" + fw + "\"}").get("id").asText();
        String device = "{\"productKey\":\"" + pk + "\",\"deviceName\":\"lamp\"";
        JsonNode file = call("/living/ota/firmware/file/get", token, device + ",\"currentVersion\":\"1.0.0\"}");
        assertThat(file.get("status").asText()).isEqualTo("TO_BE_UPGRADED");
        new DownloadProgressStore(control.redis.async()).add(pk, taskId, List.of(new Increment("lamp", 500, 500)))
                .toCompletableFuture().join();
        Map<String, String> before = RedisSnapshot.of(control.redis, pk, taskId);

        JsonNode shown = call("/living/ota/progress/get", token, device + "}");

        assertThat(RedisSnapshot.of(control.redis, pk, taskId)).as("keys after progress/get").isEqualTo(before);
        assertThat(shown.get("status").asText()).isEqualTo("UPGRADING");
        assertThat(shown.get("step").asInt()).isEqualTo(25);
        assertThat(shown.get("desc").asText()).isEqualTo(ServedDownload.DESC);
        assertThat(shown.get("needConfirm").asBoolean()).isFalse();

        TaskRepository tasks = new TaskRepository(control.redis.async());
        assertThat(new ServedBytesFold(control.redis.async(), tasks, control.server.progress(), Duration.ofHours(1), () -> { })
                .fold(tasks.find(taskId).block()).block()).isEqualTo(1);
        assertThat(control.redis.sync().hget(RedisKeys.deviceTask(pk, taskId, "lamp"), "state")).isEqualTo("DOWNLOADING");
        assertThat(call("/living/ota/progress/get", token, device + "}")).isEqualTo(shown);
    }
}
