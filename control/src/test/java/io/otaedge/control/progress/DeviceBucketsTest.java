package io.otaedge.control.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import io.otaedge.control.progress.Transition.Outcome;
import io.otaedge.control.task.DeviceTaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A task's devices are spread over the product's device buckets (each its own hash tag): the task's
 * figures are the exact sums over the buckets, its device listing keeps the join order, and the failure
 * threshold is judged on failures from every bucket.
 */
class DeviceBucketsTest {

    static ControlHarness control;
    static DeviceProgressService progress;

    @BeforeAll
    static void start() {
        control = new ControlHarness();
        progress = control.server.progress();
    }

    @AfterAll
    static void stop() {
        control.close();
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    @Test
    void aTasksFiguresAreExactAfterConcurrentProgressFromDevicesInManyBuckets() {
        Setup s = setup("buckets-figures", "");
        int devices = 300;
        Set<Integer> buckets = new HashSet<>();
        for (long d = 0; d < devices; d++) {
            s.enrol(d);
            buckets.add(RedisKeys.bucket(Long.toString(d)));
        }
        assertThat(buckets).as("the devices sit in most of the buckets").hasSizeGreaterThan(60);

        // Per device by d % 5: downloading, upgrading, succeeded, failed, untouched; all devices at once.
        List<Transition> results = Flux.range(0, devices)
                .filter(d -> d % 5 != 4)
                .flatMap(d -> report(s, d), 64)
                .collectList().block();
        assertThat(results).allMatch(t -> t.outcome() == Outcome.APPLIED);

        JsonNode p = s.adminProgress();
        assertThat(p.get("total").asInt()).isEqualTo(devices);
        assertThat(p.get("counts").get("DOWNLOADING").asInt()).isEqualTo(60);
        assertThat(p.get("counts").get("UPGRADING").asInt()).isEqualTo(60);
        assertThat(p.get("counts").get("SUCCEEDED").asInt()).isEqualTo(60);
        assertThat(p.get("counts").get("FAILED").asInt()).isEqualTo(60);
        assertThat(p.get("counts").get("TO_BE_UPGRADED").asInt()).isEqualTo(60);
        assertThat(p.get("counts").get("DOWNLOADED").asInt()).isZero();
        JsonNode stage = p.get("stages").get(0);
        assertThat(stage.get("enrolled").asInt()).isEqualTo(devices);
        assertThat(stage.get("succeeded").asInt()).isEqualTo(60);
        assertThat(stage.get("failed").asInt()).isEqualTo(60);

        // One row per device, in the order they joined (they enrolled one after the other).
        List<String> listed = new ArrayList<>();
        long lastOffered = 0;
        for (JsonNode row : p.get("devices")) {
            listed.add(row.get("deviceId").asText());
            long offered = Instant.parse(row.get("offeredAt").asText()).toEpochMilli();
            assertThat(offered).as("join order").isGreaterThanOrEqualTo(lastOffered);
            lastOffered = offered;
        }
        assertThat(listed).hasSize(devices).doesNotHaveDuplicates();
        JsonNode page = ControlHarness.json(control.adminGet("/admin/v1/tasks/" + s.taskId() + "/progress?limit=10")).get("devices");
        for (int i = 0; i < 10; i++) {
            assertThat(page.get(i).get("deviceId").asText()).as("a page is the listing's head").isEqualTo(listed.get(i));
        }
    }

    @Test
    void theFailureThresholdCountsFailuresFromEveryBucket() {
        Setup s = setup("buckets-pause", ",\"failureThreshold\":50,\"minSample\":4");
        // Five devices, each in its own bucket: no single bucket ever holds more than one outcome.
        List<Long> picked = new ArrayList<>();
        Set<Integer> used = new HashSet<>();
        for (long d = 0; picked.size() < 5; d++) {
            if (used.add(RedisKeys.bucket(Long.toString(d)))) {
                picked.add(d);
            }
        }
        picked.forEach(s::enrol);
        s.step(picked.get(0), 100);
        assertThat(s.state(picked.get(0), DeviceTaskState.SUCCEEDED, 100).autoPaused()).isFalse();
        s.step(picked.get(1), 100);
        assertThat(s.state(picked.get(1), DeviceTaskState.SUCCEEDED, 100).autoPaused()).isFalse();
        assertThat(s.step(picked.get(2), -1).autoPaused()).as("1 of 3: below the sample").isFalse();
        assertThat(s.step(picked.get(3), -1).autoPaused()).as("2 of 4 failed: 50 %, not above").isFalse();
        assertThat(s.step(picked.get(4), -1).autoPaused()).as("3 of 5 failed, each in another bucket").isTrue();
        JsonNode admin = s.adminProgress();
        assertThat(admin.get("status").asText()).isEqualTo("PAUSED");
        assertThat(admin.get("autoPausedStage").asInt()).isZero();
    }

    private static Mono<Transition> report(Setup s, int d) {
        String dev = Integer.toString(d);
        return switch (d % 5) {
            case 0 -> progress.reportStep(s.pid(), dev, s.taskId(), 40, "");
            case 1 -> progress.reportStep(s.pid(), dev, s.taskId(), 100, "");
            case 2 -> progress.reportStep(s.pid(), dev, s.taskId(), 100, "")
                    .then(progress.reportState(s.pid(), dev, s.taskId(), DeviceTaskState.SUCCEEDED, 100, ""));
            default -> progress.reportStep(s.pid(), dev, s.taskId(), -1, "");
        };
    }

    record Setup(String pid, String auth, String taskId) {
        void enrol(long device) {
            assertThat(control.checkJson(auth, ControlHarness.seedBody(device, "1.0")).get("errno").asInt()).isZero();
        }

        Transition state(long dev, DeviceTaskState s, int step) {
            return progress.reportState(pid, Long.toString(dev), taskId, s, step, "d").block();
        }

        Transition step(long dev, int step) {
            return progress.reportStep(pid, Long.toString(dev), taskId, step, "d").block();
        }

        JsonNode adminProgress() {
            return ControlHarness.json(control.adminGet("/admin/v1/tasks/" + taskId + "/progress"));
        }
    }

    private static Setup setup(String prefix, String taskFields) {
        String pid = ControlHarness.uniqueId(prefix);
        String key = control.createProduct(pid);
        String fwId = control.uploadFirmware(pid, "2.0", new byte[64]).get("id").asText();
        String taskId = control.createTask(pid, "{\"firmwareId\":\"" + fwId + "\"" + taskFields + "}").get("id").asText();
        return new Setup(pid, ControlHarness.authorization(key, pid), taskId);
    }
}
