package io.otaedge.control.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import io.otaedge.control.progress.Transition.Outcome;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.UpgradeType;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** The per-device state machine in Redis, its counters, auto-pause, auto-advance and the upgrade timeout. */
class DeviceProgressServiceTest {

    static ControlHarness control;
    static DeviceProgressService progress;

    @BeforeAll
    static void start() {
        control = new ControlHarness("OTA_UPGRADE_TIMEOUT", "PT0.2S");
        progress = control.server.progress();
    }

    @AfterAll
    static void stop() {
        control.close();
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    record Setup(String pid, String auth, String taskId) {
        void enrol(long... devices) {
            for (long d : devices) {
                assertThat(control.checkJson(auth, ControlHarness.seedBody(d, "1.0")).get("errno").asInt()).isZero();
            }
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

    static Setup setup(String prefix, String taskFields) {
        String pid = ControlHarness.uniqueId(prefix);
        String key = control.createProduct(pid);
        byte[] fw = new byte[64];
        new Random(1).nextBytes(fw);
        String fwId = control.uploadFirmware(pid, "2.0", fw).get("id").asText();
        String taskId = control.createTask(pid, "{\"firmwareId\":\"" + fwId + "\"" + taskFields + "}").get("id").asText();
        return new Setup(pid, ControlHarness.authorization(key, pid), taskId);
    }

    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void aDeviceWalksTheWholeMachineAndTheCountersFollow() {
        Setup s = setup("prog-happy", "");
        s.enrol(1);
        assertThat(s.step(1, 30)).isEqualTo(new Transition(Outcome.APPLIED, DeviceTaskState.TO_BE_UPGRADED, DeviceTaskState.DOWNLOADING, false, false));
        assertThat(s.step(1, 60).outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(progress.progress(s.pid(), "1", "default").block().step()).isEqualTo(60);
        assertThat(s.state(1, DeviceTaskState.DOWNLOADED, 100).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(s.state(1, DeviceTaskState.UPGRADING, 100).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(s.state(1, DeviceTaskState.SUCCEEDED, 100).outcome()).isEqualTo(Outcome.APPLIED);

        DeviceProgress p = progress.taskProgress(s.pid(), "1", s.taskId()).block();
        assertThat(p.state()).isEqualTo(DeviceTaskState.SUCCEEDED);
        assertThat(p.fromVersion()).isEqualTo("1.0");
        assertThat(p.targetVersion()).isEqualTo("2.0");
        assertThat(p.stateSince()).isPositive();
        JsonNode admin = s.adminProgress();
        assertThat(admin.get("counts").get("SUCCEEDED").asInt()).isEqualTo(1);
        assertThat(admin.get("counts").get("TO_BE_UPGRADED").asInt()).isZero();
        assertThat(admin.get("stages").get(0).get("successRate").asDouble()).isEqualTo(1.0);
        assertThat(admin.get("devices").get(0).get("upgradingAt").asText()).endsWith("Z");
    }

    @Test
    void illegalMovesAreRejectedAndChangeNothing() {
        Setup s = setup("prog-illegal", "");
        s.enrol(1);
        assertThat(s.state(1, DeviceTaskState.SUCCEEDED, 0))
                .isEqualTo(new Transition(Outcome.ILLEGAL, DeviceTaskState.TO_BE_UPGRADED, DeviceTaskState.SUCCEEDED, false, false));
        s.state(1, DeviceTaskState.DOWNLOADING, 0);
        s.state(1, DeviceTaskState.UPGRADING, 100);
        assertThat(s.state(1, DeviceTaskState.DOWNLOADING, 5).outcome()).isEqualTo(Outcome.ILLEGAL);
        s.state(1, DeviceTaskState.SUCCEEDED, 100);
        assertThat(s.state(1, DeviceTaskState.FAILED, -1).outcome()).isEqualTo(Outcome.ILLEGAL);
        assertThat(s.adminProgress().get("counts").get("SUCCEEDED").asInt()).isEqualTo(1);
        assertThat(s.state(99, DeviceTaskState.DOWNLOADING, 0).outcome()).isEqualTo(Outcome.NOT_IN_TASK);
        assertThat(progress.reportState("other-product", "1", s.taskId(), DeviceTaskState.DOWNLOADING, 0, "").block().outcome())
                .isEqualTo(Outcome.NOT_IN_TASK);
    }

    @Test
    void aDialectsOnlyFromRuleAppliesToARepeatedStateToo() {
        Setup s = setup("prog-onlyfrom", "");
        s.enrol(1);
        s.state(1, DeviceTaskState.FAILED, -102);
        Set<DeviceTaskState> beforeFailure = EnumSet.of(DeviceTaskState.DOWNLOADED, DeviceTaskState.UPGRADING);
        assertThat(progress.reportState(s.pid(), "1", s.taskId(), DeviceTaskState.FAILED, -205, "again", beforeFailure).block())
                .isEqualTo(new Transition(Outcome.ILLEGAL, DeviceTaskState.FAILED, DeviceTaskState.FAILED, false, false));
        DeviceProgress p = progress.taskProgress(s.pid(), "1", s.taskId()).block();
        assertThat(p.step()).as("the first failure code stays").isEqualTo(-102);
        assertThat(p.desc()).isEqualTo("d");
        // A rule that names the current state lets the repeat through as before; no rule at all too.
        assertThat(progress.reportState(s.pid(), "1", s.taskId(), DeviceTaskState.FAILED, -103, "x",
                EnumSet.of(DeviceTaskState.FAILED)).block().outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(progress.taskProgress(s.pid(), "1", s.taskId()).block().step()).isEqualTo(-103);
        assertThat(s.state(1, DeviceTaskState.FAILED, -104).outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(progress.taskProgress(s.pid(), "1", s.taskId()).block().step()).isEqualTo(-104);
        assertThat(s.adminProgress().get("counts").get("FAILED").asInt()).isEqualTo(1);
    }

    @Test
    void aNegativeStepFailsAndRetriesStopAtTheRetryCount() {
        Setup s = setup("prog-retry", ",\"retry\":1");
        s.enrol(1);
        Transition failed = s.step(1, -3);
        assertThat(failed.to()).isEqualTo(DeviceTaskState.FAILED);
        assertThat(progress.progress(s.pid(), "1", null).block().step()).isEqualTo(-3);
        assertThat(s.step(1, 10).outcome()).as("first retry").isEqualTo(Outcome.APPLIED);
        assertThat(s.step(1, -2).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(s.step(1, 10).outcome()).isEqualTo(Outcome.RETRY_LIMIT);
        JsonNode admin = s.adminProgress();
        assertThat(admin.get("counts").get("FAILED").asInt()).isEqualTo(1);
        assertThat(admin.get("stages").get(0).get("failed").asInt()).isEqualTo(1);
    }

    @Test
    void aStoppedTaskAnswersCancelled() {
        Setup s = setup("prog-stop", "");
        s.enrol(1);
        control.adminPost("/admin/v1/tasks/" + s.taskId() + "/stop", "");
        assertThat(s.step(1, 10).outcome()).isEqualTo(Outcome.CANCELLED);
    }

    @Test
    void theReportedVersionDecidesSuccessOrFailure() {
        Setup s = setup("prog-version", "");
        s.enrol(1, 2);
        s.step(1, 50);
        List<Transition> done = progress.reportVersion(s.pid(), "1", "default", "2.0").block();
        assertThat(done).extracting(Transition::to).containsExactly(DeviceTaskState.SUCCEEDED);
        s.step(2, 100); // downloaded: now upgrading
        List<Transition> back = progress.reportVersion(s.pid(), "2", UpgradeType.FOTA, "1.0").block();
        assertThat(back).extracting(Transition::to).containsExactly(DeviceTaskState.FAILED);
        assertThat(progress.reportVersion(s.pid(), "2", "wifi", "2.0").block()).isEmpty();
        JsonNode dev = ControlHarness.json(control.adminGet("/admin/v1/products/" + s.pid() + "/devices/1"));
        assertThat(dev.get("version:default").asText()).isEqualTo("2.0");
    }

    @Test
    void aDeviceUpgradingLongerThanTheTimeoutIsReportedTimedOut() {
        Setup s = setup("prog-timeout", "");
        s.enrol(1);
        s.step(1, 100);
        await(() -> progress.progress(s.pid(), "1", "default").block().timedOut());
        await(() -> s.adminProgress().get("timedOut").asInt() == 1);
        s.state(1, DeviceTaskState.SUCCEEDED, 100);
        assertThat(progress.progress(s.pid(), "1", "default").block().timedOut()).isFalse();
    }

    @Test
    void aDeviceStuckDownloadingTimesOutToo() {
        Setup s = setup("prog-timeout-dl", "");
        s.enrol(2);
        s.step(2, 40);
        assertThat(progress.progress(s.pid(), "2", "default").block().state()).isEqualTo(DeviceTaskState.DOWNLOADING);
        await(() -> progress.progress(s.pid(), "2", "default").block().timedOut());
        await(() -> s.adminProgress().get("timedOut").asInt() == 1);
    }

    @Test
    void aStageWhoseFailureRatePassesTheThresholdPausesTheTask() {
        Setup s = setup("prog-pause", ",\"failureThreshold\":50,\"minSample\":3");
        s.enrol(1, 2, 3, 4);
        s.step(1, -1);
        s.step(2, 100);
        s.state(2, DeviceTaskState.SUCCEEDED, 100);
        assertThat(s.step(3, -1).autoPaused()).as("2 of 3 failed, above 50 %").isTrue();
        JsonNode admin = s.adminProgress();
        assertThat(admin.get("status").asText()).isEqualTo("PAUSED");
        assertThat(admin.get("autoPausedStage").asInt()).isZero();
        assertThat(admin.get("stages").get(0).get("successRate").asDouble()).isBetween(0.33, 0.34);
        assertThat(control.checkJson(s.auth(), ControlHarness.seedBody(5, "1.0")).get("errno").asInt()).isEqualTo(11);
        assertThat(s.step(4, 10).outcome()).as("devices in flight keep reporting").isEqualTo(Outcome.APPLIED);
    }

    @Test
    void aStageThatMeetsItsSampleAdvancesTheRolloutAutomatically() {
        Setup s = setup("prog-advance", ",\"stages\":[50,100],\"autoAdvance\":true,\"minSample\":1,\"failureThreshold\":50");
        long inFirst = -1;
        for (long d = 0; d < 100 && inFirst < 0; d++) {
            if (control.checkJson(s.auth(), ControlHarness.seedBody(d, "1.0")).get("errno").asInt() == 0) {
                inFirst = d;
            }
        }
        assertThat(inFirst).isNotNegative();
        s.step(inFirst, 100);
        assertThat(s.state(inFirst, DeviceTaskState.SUCCEEDED, 100).advanced()).isTrue();
        assertThat(s.adminProgress().get("stage").asInt()).isEqualTo(1);
    }

    @Test
    void concurrentReportsKeepTheCountersExact() {
        Setup s = setup("prog-race", "");
        long[] devs = new long[40];
        for (int i = 0; i < devs.length; i++) {
            devs[i] = i;
        }
        s.enrol(devs);
        // Every device gets the same report eight times at once: exactly one of each applies.
        List<Transition> results = Flux.range(0, devs.length * 8)
                .flatMap(i -> progress.reportStep(s.pid(), Long.toString(i % devs.length), s.taskId(), 40, ""), 64)
                .collectList().block();
        assertThat(results).filteredOn(t -> t.outcome() == Outcome.APPLIED).hasSize(devs.length);
        JsonNode counts = s.adminProgress().get("counts");
        assertThat(counts.get("DOWNLOADING").asInt()).isEqualTo(devs.length);
        assertThat(counts.get("TO_BE_UPGRADED").asInt()).isZero();
    }
}
