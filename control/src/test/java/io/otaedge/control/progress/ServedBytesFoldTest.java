package io.otaedge.control.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.progress.DownloadProgressStore.Increment;
import io.otaedge.common.progress.ServedBytes;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.TestRedis;
import io.otaedge.common.testing.Await;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import io.otaedge.control.RedisSnapshot;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.UpgradeTask;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The periodic job that records served bytes as device states (reads only derive them): one pass moves a served,
 * waiting device to DOWNLOADING through the state machine, counters included, once however many jobs race; it
 * leaves alone what a device reported itself, paused tasks and a task whose counts cannot be read; control runs it.
 */
class ServedBytesFoldTest {

    static ControlHarness control;
    static TaskRepository tasks;
    static final AtomicInteger errors = new AtomicInteger();
    static ServedBytesFold fold;

    @BeforeAll
    static void start() {
        // Control's own fold stays out of the way: each test runs the job itself.
        control = new ControlHarness("OTA_TASK_METRICS_INTERVAL", "PT1H");
        tasks = new TaskRepository(control.redis.async());
        fold = new ServedBytesFold(control.redis.async(), tasks, control.server.progress(), Duration.ofHours(1), errors::incrementAndGet);
    }

    @AfterAll
    static void stop() {
        control.close();
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    record Setup(String pid, String auth, String taskId) {
        void enrol(int devices) {
            for (int d = 1; d <= devices; d++) {
                assertThat(control.checkJson(auth, ControlHarness.seedBody(d, "1.0")).get("errno").asInt()).isZero();
            }
        }

        void served(String device, long bytes, long end) {
            new DownloadProgressStore(control.redis.async()).add(pid, taskId, List.of(new Increment(device, bytes, end)))
                    .toCompletableFuture().join();
        }

        UpgradeTask task() {
            return tasks.find(taskId).block();
        }

        Map<String, String> row(String device) {
            return control.redis.sync().hgetall(RedisKeys.deviceTask(pid, taskId, device));
        }

        long count(String state) {
            return Long.parseLong(tasks.stats(pid, taskId).block().getOrDefault("state:" + state, "0"));
        }
    }

    static Setup setup(String prefix) {
        String pid = ControlHarness.uniqueId(prefix);
        String key = control.createProduct(pid);
        String fw = control.uploadFirmware(pid, "2.0", new byte[4000]).get("id").asText();
        String taskId = control.createTask(pid, "{\"firmwareId\":\"" + fw + "\"}").get("id").asText();
        return new Setup(pid, ControlHarness.authorization(key, pid), taskId);
    }

    @Test
    void onePassRecordsAServedWaitingDeviceAsDownloadingWithItsShareAndASecondPassWritesNothing() {
        Setup s = setup("fold-one");
        s.enrol(2);
        s.served("1", 1500, 3000);

        assertThat(fold.fold(s.task()).block()).isEqualTo(1);
        assertThat(s.row("1")).containsEntry("state", "DOWNLOADING").containsEntry("step", "75")
                .containsEntry("desc", ServedDownload.DESC).containsKey("downloadingAt");
        assertThat(s.row("2")).containsEntry("state", "TO_BE_UPGRADED");
        assertThat(s.count("DOWNLOADING")).isEqualTo(1);
        assertThat(s.count("TO_BE_UPGRADED")).isEqualTo(1);

        Map<String, String> before = RedisSnapshot.of(control.redis, s.pid(), s.taskId());
        assertThat(fold.fold(s.task()).block()).isZero();
        assertThat(RedisSnapshot.of(control.redis, s.pid(), s.taskId())).isEqualTo(before);

        // The pass over every running task finds this one too.
        s.served("2", 10, 10);
        assertThat(fold.foldOnce().block()).isPositive();
        assertThat(s.row("2")).containsEntry("state", "DOWNLOADING").containsEntry("step", "0");
        assertThat(s.count("DOWNLOADING")).isEqualTo(2);
        assertThat(s.count("TO_BE_UPGRADED")).isZero();
    }

    @Test
    void twoControlsFoldingAtOnceMoveEachDeviceOnce() {
        Setup s = setup("fold-race");
        int devices = 20;
        s.enrol(devices);
        for (int d = 1; d <= devices; d++) {
            s.served(Integer.toString(d), 2000, 2000);
        }
        // A second control instance: its own connection, repositories and state machine.
        try (RedisConnector other = RedisConnector.connect(TestRedis.uri())) {
            TaskRepository otherTasks = new TaskRepository(other.async());
            DeviceProgressService otherProgress = new DeviceProgressService(other.async(), otherTasks,
                    new DeviceRepository(other.async()), new FirmwareRepository(other.async()), Duration.ofMinutes(10),
                    Clock.systemUTC(), new DownloadProgressStore(other.async()));
            ServedBytesFold otherFold = new ServedBytesFold(other.async(), otherTasks, otherProgress, Duration.ofHours(1), () -> { });
            UpgradeTask task = s.task();

            long moved = Mono.zip(fold.fold(task), otherFold.fold(task), Long::sum).block();

            assertThat(moved).as("moves applied over both jobs").isEqualTo(devices);
        }
        assertThat(s.count("DOWNLOADING")).isEqualTo(devices);
        assertThat(s.count("TO_BE_UPGRADED")).isZero();
        for (int d = 1; d <= devices; d++) {
            assertThat(s.row(Integer.toString(d))).containsEntry("state", "DOWNLOADING").containsEntry("step", "50");
        }
    }

    @Test
    void aDeviceThatReportedItselfKeepsItsReportEvenWhenTheFoldReadItAsWaiting() {
        Setup s = setup("fold-own");
        s.enrol(2);
        DeviceProgressService progress = control.server.progress();
        assertThat(progress.reportStep(s.pid(), "1", s.taskId(), 30, "own").block().outcome()).isEqualTo(Transition.Outcome.APPLIED);
        assertThat(progress.reportStep(s.pid(), "2", s.taskId(), -1, "broke").block().outcome()).isEqualTo(Transition.Outcome.APPLIED);
        s.served("1", 4000, 4000);
        s.served("2", 4000, 4000);
        Map<String, String> before = RedisSnapshot.of(control.redis, s.pid(), s.taskId());

        assertThat(fold.fold(s.task()).block()).isZero();
        // A fold that read the device as waiting just before it reported: the script refuses from any other state.
        assertThat(progress.foldServed(s.pid(), "2", s.taskId(), DeviceTaskState.TO_BE_UPGRADED,
                new ServedBytes(4000, 4000), 4000).block()).isFalse();

        assertThat(RedisSnapshot.of(control.redis, s.pid(), s.taskId())).isEqualTo(before);
        assertThat(s.row("1")).containsEntry("state", "DOWNLOADING").containsEntry("step", "30").containsEntry("desc", "own");
        assertThat(s.row("2")).containsEntry("state", "FAILED").containsEntry("attempts", "1");
    }

    @Test
    void aPausedTasksDevicesWaitUntilItRunsAgain() {
        Setup s = setup("fold-paused");
        s.enrol(1);
        s.served("1", 100, 100);
        assertThat(control.adminPost("/admin/v1/tasks/" + s.taskId() + "/pause", "").statusCode()).isEqualTo(200);

        fold.foldOnce().block();
        assertThat(s.row("1")).containsEntry("state", "TO_BE_UPGRADED");

        assertThat(control.adminPost("/admin/v1/tasks/" + s.taskId() + "/resume", "").statusCode()).isEqualTo(200);
        fold.foldOnce().block();
        assertThat(s.row("1")).containsEntry("state", "DOWNLOADING");
    }

    @Test
    void aTaskWhoseCountsCannotBeReadIsCountedAndTheOthersAreStillFolded() {
        Setup broken = setup("fold-broken");
        broken.enrol(1);
        String garbage = RedisKeys.taskServedBytes(broken.pid(), broken.taskId(), RedisKeys.bucket("1"));
        Setup fine = setup("fold-fine");
        fine.enrol(1);
        fine.served("1", 100, 100);
        int errorsBefore = errors.get();
        try {
            control.redis.sync().hset(garbage, "1", "not-a-number");

            fold.foldOnce().block();

            assertThat(errors.get() - errorsBefore).as("the broken task counted").isPositive();
            assertThat(fine.row("1")).containsEntry("state", "DOWNLOADING");
            assertThat(broken.row("1")).containsEntry("state", "TO_BE_UPGRADED");
        } finally {
            control.redis.sync().del(garbage);
            control.adminPost("/admin/v1/tasks/" + broken.taskId() + "/stop", "");
        }
    }

    @Test
    void theScheduledJobRecordsTheMoveAndSurvivesAFailedPass() {
        Setup s = setup("fold-scheduled");
        s.enrol(1);
        String garbage = RedisKeys.taskServedBytes(s.pid(), s.taskId(), RedisKeys.bucket("1"));
        AtomicInteger failures = new AtomicInteger();
        try (ServedBytesFold job = new ServedBytesFold(control.redis.async(), tasks, control.server.progress(),
                Duration.ofMillis(50), failures::incrementAndGet).start()) {
            control.redis.sync().hset(garbage, "1", "not-a-number");
            Await.until(Duration.ofSeconds(10), () -> failures.get() > 0, "a failed pass counted");
            control.redis.sync().del(garbage);
            s.served("1", 2000, 2000);
            Await.until(Duration.ofSeconds(10), () -> "DOWNLOADING".equals(s.row("1").get("state")), "the job moved the device");
        } finally {
            control.redis.sync().del(garbage);
        }
        assertThat(s.count("DOWNLOADING")).isEqualTo(1);
    }

    @Test
    void controlRunsTheFoldOnTheTaskMetricsInterval() {
        Setup s = setup("fold-control");
        s.enrol(1);
        s.served("1", 1000, 1000);
        try (ControlHarness fast = new ControlHarness("OTA_TASK_METRICS_INTERVAL", "PT0.1S")) {
            Await.until(Duration.ofSeconds(10), () -> "DOWNLOADING".equals(s.row("1").get("state")),
                    "control's own job moved the device");
        }
        assertThat(s.row("1")).containsEntry("step", "25");
        assertThat(s.count("DOWNLOADING")).isEqualTo(1);
    }
}
