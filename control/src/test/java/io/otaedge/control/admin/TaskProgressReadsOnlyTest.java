package io.otaedge.control.admin;

import static io.otaedge.control.ControlHarness.authorization;
import static io.otaedge.control.ControlHarness.seedBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.progress.DownloadProgressStore.Increment;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import io.otaedge.control.RedisSnapshot;
import io.otaedge.control.progress.ServedBytesFold;
import io.otaedge.control.redis.ControlKeys;
import io.otaedge.control.progress.ServedDownload;
import io.otaedge.control.task.TaskRepository;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /admin/v1/tasks/{id}/progress} only reads (issue #15 §3): a waiting device the edges served bytes to
 * shows as DOWNLOADING with the share served, in its row and in the counts, while every Redis key of the product
 * and task (the device's row, the counters, the control word and auto-pause marks) stays byte for byte as it was;
 * the periodic fold records the same answer.
 */
class TaskProgressReadsOnlyTest {

    private static ControlHarness control;

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

    private record Setup(String pid, String taskId) {
        JsonNode progress() {
            return ControlHarness.json(control.adminGet("/admin/v1/tasks/" + taskId + "/progress"));
        }

        JsonNode device(JsonNode progress, String id) {
            for (JsonNode d : progress.get("devices")) {
                if (d.get("deviceId").asText().equals(id)) {
                    return d;
                }
            }
            throw new AssertionError("no device " + id + " in " + progress);
        }
    }

    private static Setup servedTask(String prefix) {
        String pid = ControlHarness.uniqueId(prefix);
        String key = control.createProduct(pid);
        String fw = control.uploadFirmware(pid, "2.0", new byte[4000]).get("id").asText();
        String taskId = control.createTask(pid, "{\"firmwareId\":\"" + fw + "\"}").get("id").asText();
        control.checkJson(authorization(key, pid), seedBody(1, "1.0"));
        control.checkJson(authorization(key, pid), seedBody(2, "1.0"));
        new DownloadProgressStore(control.redis.async()).add(pid, taskId, List.of(new Increment("1", 1500, 3000)))
                .toCompletableFuture().join();
        return new Setup(pid, taskId);
    }

    @Test
    void aGetAnswersDownloadingWithTheServedStepAndLeavesEveryKeyUntouched() {
        Setup s = servedTask("reads-get");
        Map<String, String> before = RedisSnapshot.of(control.redis, s.pid(), s.taskId());
        assertThat(before).as("the device's row, counters and control word are among the keys compared")
                .containsKeys(RedisKeys.deviceTask(s.pid(), s.taskId(), "1"),
                        ControlKeys.taskStats(s.pid(), s.taskId(), RedisKeys.bucket("1")),
                        ControlKeys.taskControl(s.pid(), s.taskId()));

        JsonNode p = s.progress();
        JsonNode again = s.progress();

        assertThat(RedisSnapshot.of(control.redis, s.pid(), s.taskId())).as("keys after two reads").isEqualTo(before);
        assertThat(p.get("counts").get("DOWNLOADING").asInt()).isEqualTo(1);
        assertThat(p.get("counts").get("TO_BE_UPGRADED").asInt()).isEqualTo(1);
        assertThat(p.get("total").asInt()).isEqualTo(2);
        JsonNode d = s.device(p, "1");
        assertThat(d.get("state").asText()).isEqualTo("DOWNLOADING");
        assertThat(d.get("step").asText()).isEqualTo("75");
        assertThat(d.get("desc").asText()).isEqualTo(ServedDownload.DESC);
        assertThat(d.get("timedOut").asBoolean()).isFalse();
        assertThat(d.get("downloadPercent").asInt()).isEqualTo(75);
        assertThat(s.device(p, "2").get("state").asText()).isEqualTo("TO_BE_UPGRADED");
        assertThat(again).isEqualTo(p);
    }

    @Test
    void theFoldRecordsWhatTheGetShowed() {
        Setup s = servedTask("reads-fold");
        JsonNode shown = s.progress();
        TaskRepository tasks = new TaskRepository(control.redis.async());

        long moved = new ServedBytesFold(control.redis.async(), tasks, control.server.progress(), Duration.ofHours(1), () -> { })
                .fold(tasks.find(s.taskId()).block()).block();

        assertThat(moved).isEqualTo(1);
        assertThat(control.redis.sync().hget(RedisKeys.deviceTask(s.pid(), s.taskId(), "1"), "state")).isEqualTo("DOWNLOADING");
        JsonNode recorded = s.progress();
        assertThat(recorded.get("counts")).isEqualTo(shown.get("counts"));
        assertThat(s.device(recorded, "1").get("step").asText()).isEqualTo("75");
        assertThat(s.device(recorded, "1").has("downloadingAt")).as("now a recorded move").isTrue();
    }

    @Test
    void aStoppedTasksDevicesShowAsStored() {
        Setup s = servedTask("reads-stopped");
        assertThat(control.adminPost("/admin/v1/tasks/" + s.taskId() + "/stop", "").statusCode()).isEqualTo(200);

        JsonNode p = s.progress();

        assertThat(s.device(p, "1").get("state").asText()).isEqualTo("TO_BE_UPGRADED");
        assertThat(s.device(p, "1").get("servedBytes").asLong()).isEqualTo(1500);
        assertThat(p.get("counts").get("TO_BE_UPGRADED").asInt()).isEqualTo(2);
    }
}
