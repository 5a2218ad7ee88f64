package io.otaedge.control.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.fleet.FakeClock;
import io.otaedge.control.fleet.FleetHarness;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.engine.CheckOutcome;
import io.otaedge.control.task.AbortCriterion;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.RetryPolicy;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.TaskSpec;
import io.otaedge.control.task.TaskStatus;
import io.otaedge.control.task.UpgradeTask;
import io.otaedge.control.task.UpgradeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A simulated fleet against a task's abort criteria (AWS IoT Jobs {@code abortConfig.criteriaList}, documented at
 * docs.aws.amazon.com/iot/latest/apireference/API_AbortCriteria.html): thousands of virtual devices are offered
 * the task through two control instances over one Redis and report their outcomes through either. The abort fires
 * at exactly the report that meets a criterion, never before its minimum of finished devices; it stops the task
 * once however many reports race on two instances; devices that had not started are no longer offered and their
 * reports are answered as cancelled; failures of another kind do not count.
 */
class AbortCriteriaFleetTest {

    static FleetHarness fleet;
    static List<FleetHarness.Instance> instances;
    static List<AbortCriterion.FailureType> aborts;
    static ControlHarness control;

    @BeforeAll
    static void start() {
        fleet = new FleetHarness(Clock.systemUTC());
        instances = fleet.instances;
        aborts = fleet.aborts;
        control = fleet.control;
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    /** A product with a fleet of {@code n} devices on 1.0 and a running task to 2.0 with {@code criteria}; the task. */
    static JsonNode task(String criteria) {
        String pid = ControlHarness.uniqueId("abort");
        control.createProduct(pid);
        String fw = control.uploadFirmware(pid, "2.0", new byte[] {1, 2, 3}).get("id").asText();
        return control.createTask(pid, "{\"firmwareId\":\"" + fw + "\",\"abortCriteria\":[" + criteria + "]}");
    }

    /** Every device checks once, spread over both instances; the ones offered the task. */
    static List<String> check(String pid, List<String> devices) {
        AtomicInteger next = new AtomicInteger();
        return Flux.fromIterable(devices)
                .flatMapSequential(d -> instances.get(next.getAndIncrement() % 2).checks()
                        .check(FleetHarness.check(pid, d, "1.0"))
                        .filter(o -> o instanceof CheckOutcome.Offer).map(o -> d), 8)
                .collectList().block(Duration.ofMinutes(1));
    }

    static Mono<Transition> fail(FleetHarness.Instance at, String pid, String taskId, String device, FailureKind kind) {
        return at.progress().reportFailure(pid, device, taskId, kind, -1, "failed in the simulation");
    }

    static Mono<Transition> succeed(FleetHarness.Instance at, String pid, String device) {
        return at.progress().reportVersion(pid, device, UpgradeType.FOTA, "2.0").map(moves -> moves.get(0));
    }

    static JsonNode view(String taskId) {
        return fleet.progressView(taskId);
    }

    static TaskStatus status(String taskId) {
        return instances.get(0).tasks().find(taskId).map(t -> t.status()).block();
    }

    @Test
    void anAbortFiresAtTheReportThatMeetsItsCriterionAndNotBeforeTheMinimum() {
        JsonNode task = task("{\"failureType\":\"FAILED\",\"action\":\"CANCEL\",\"thresholdPercentage\":20,"
                + "\"minNumberOfExecutedThings\":300}");
        String pid = task.get("productId").asText();
        String taskId = task.get("id").asText();
        List<String> offered = check(pid, FleetHarness.devices(1000));
        assertThat(offered).hasSize(1000);

        // 100 failures in a row: 100 % failed, but only 100 of the 300 finished devices the criterion waits for.
        int reported = 0;
        for (; reported < 100; reported++) {
            fail(instances.get(reported % 2), pid, taskId, offered.get(reported), FailureKind.DOWNLOAD).block();
        }
        assertThat(status(taskId)).as("below the minimum").isEqualTo(TaskStatus.RUNNING);
        // Then successes: at 300 finished, 100 failed = 33 % ≥ 20 %, so the 300th report aborts, not one earlier.
        for (; reported < 299; reported++) {
            succeed(instances.get(reported % 2), pid, offered.get(reported)).block();
            assertThat(status(taskId)).as("after %d finished", reported + 1).isEqualTo(TaskStatus.RUNNING);
        }
        int abortsBefore = aborts.size();
        Transition last = succeed(instances.get(1), pid, offered.get(reported++)).block();
        assertThat(last.outcome()).as("the device's own outcome still counts").isEqualTo(Transition.Outcome.APPLIED);
        assertThat(status(taskId)).isEqualTo(TaskStatus.STOPPED);
        assertThat(aborts.subList(abortsBefore, aborts.size())).containsExactly(AbortCriterion.FailureType.FAILED);

        JsonNode view = view(taskId);
        JsonNode abort = view.get("abort");
        assertThat(abort.get("criterion").asInt()).isZero();
        assertThat(abort.get("failureType").asText()).isEqualTo("FAILED");
        assertThat(abort.get("finished").asLong()).isEqualTo(300);
        assertThat(abort.get("count").asLong()).isEqualTo(100);
        assertThat(abort.get("percent").asDouble()).isCloseTo(33.33, org.assertj.core.data.Offset.offset(0.01));
        assertThat(view.get("status").asText()).isEqualTo("STOPPED");

        // What had not started is cancelled: no device of the fleet is offered the task again, a waiting
        // device's report is answered as cancelled, and no report moves the counts any more.
        List<String> rest = offered.subList(reported, offered.size());
        assertThat(check(pid, FleetHarness.devices(1000))).isEmpty();
        assertThat(fail(instances.get(0), pid, taskId, rest.get(0), FailureKind.DOWNLOAD).block().outcome())
                .isEqualTo(Transition.Outcome.CANCELLED);
        assertThat(instances.get(0).progress().reportStep(pid, rest.get(1), taskId, 10, "downloading").block().outcome())
                .isEqualTo(Transition.Outcome.CANCELLED);
        JsonNode after = view(taskId);
        assertThat(after.get("counts").get(DeviceTaskState.TO_BE_UPGRADED.name()).asLong()).isEqualTo(700);
    }

    @Test
    void twoInstancesJudgingAtOnceAbortTheTaskExactlyOnce() {
        JsonNode task = task("{\"failureType\":\"ALL\",\"action\":\"CANCEL\",\"thresholdPercentage\":10,"
                + "\"minNumberOfExecutedThings\":50}");
        String pid = task.get("productId").asText();
        String taskId = task.get("id").asText();
        List<String> offered = check(pid, FleetHarness.devices(400));
        int abortsBefore = aborts.size();
        // Every device fails at once, 8 reports in flight over both instances.
        AtomicInteger next = new AtomicInteger();
        List<Transition> moves = Flux.fromIterable(offered)
                .flatMap(d -> fail(instances.get(next.getAndIncrement() % 2), pid, taskId, d, FailureKind.DOWNLOAD), 8)
                .collectList().block(Duration.ofMinutes(1));
        assertThat(status(taskId)).isEqualTo(TaskStatus.STOPPED);
        assertThat(aborts.subList(abortsBefore, aborts.size())).containsExactly(AbortCriterion.FailureType.ALL);
        long applied = moves.stream().filter(t -> t.outcome() == Transition.Outcome.APPLIED).count();
        assertThat(applied).as("reports read the task before the stop may still land").isGreaterThanOrEqualTo(50);
        assertThat(moves.stream().filter(t -> t.outcome() == Transition.Outcome.CANCELLED).count()).isEqualTo(400 - applied);
        JsonNode abort = view(taskId).get("abort");
        assertThat(abort.get("finished").asLong()).isGreaterThanOrEqualTo(50);
        assertThat(abort.get("count").asLong()).isEqualTo(abort.get("finished").asLong());
    }

    @Test
    void devicesRunningPastTheUpgradeTimeoutAreRecordedAsTimedOutAndAbortATaskThatCountsThem() {
        JsonNode task = task("{\"failureType\":\"TIMED_OUT\",\"action\":\"CANCEL\",\"thresholdPercentage\":25,"
                + "\"minNumberOfExecutedThings\":100}");
        String pid = task.get("productId").asText();
        String taskId = task.get("id").asText();
        List<String> offered = check(pid, FleetHarness.devices(400));
        FakeClock clock = new FakeClock(Instant.now());
        RedisClusterAsyncCommands<String, String> r = control.redis.async();
        TaskRepository tasks = new TaskRepository(r);
        DeviceProgressService progress = new DeviceProgressService(r, tasks, new DeviceRepository(r), new FirmwareRepository(r),
                Duration.ofMinutes(10), clock, new DownloadProgressStore(r), (t, type) -> aborts.add(type));
        TimeoutSweep sweep = new TimeoutSweep(r, tasks, progress, Duration.ofMinutes(1), () -> { });
        // 90 devices succeed, 30 start downloading and go quiet, the rest wait.
        for (int i = 0; i < 90; i++) {
            succeed(instances.get(i % 2), pid, offered.get(i)).block();
        }
        for (int i = 90; i < 120; i++) {
            progress.reportStep(pid, offered.get(i), taskId, 10, "downloading").block();
        }
        UpgradeTask running = tasks.find(taskId).block();
        clock.advance(Duration.ofMinutes(9));
        assertThat(sweep.sweep(running).block()).as("within the timeout").isZero();
        clock.advance(Duration.ofMinutes(2));
        int abortsBefore = aborts.size();
        // 30 timed out of 120 finished = 25 % over the minimum of 100: the sweep's last move aborts the task.
        assertThat(sweep.sweep(running).block()).isEqualTo(30);
        assertThat(status(taskId)).isEqualTo(TaskStatus.STOPPED);
        assertThat(aborts.subList(abortsBefore, aborts.size())).containsExactly(AbortCriterion.FailureType.TIMED_OUT);
        JsonNode view = view(taskId);
        assertThat(view.get("counts").get("FAILED").asLong()).isEqualTo(30);
        assertThat(view.get("abort").get("count").asLong()).isEqualTo(30);
        assertThat(view.get("abort").get("finished").asLong()).isEqualTo(120);
        // A task whose criteria do not count timeouts is left alone by the sweep.
        String plain = task("{\"failureType\":\"FAILED\",\"action\":\"CANCEL\",\"thresholdPercentage\":25,"
                + "\"minNumberOfExecutedThings\":1}").get("id").asText();
        assertThat(TimeoutSweep.countsTimeouts(tasks.find(plain).block())).isFalse();
        assertThat(TimeoutSweep.countsTimeouts(running)).isTrue();
        // A retry policy that counts timeouts needs the sweep too: a device that never checks in again is failed.
        UpgradeTask withRetries = tasks.find(plain).block();
        TaskSpec s = withRetries.spec();
        TaskSpec retrying = new TaskSpec(s.targeting(), s.rollout(), s.schedule(), s.offer(), s.hints(), s.rate(),
                new RetryPolicy(null, null, 1, null));
        assertThat(TimeoutSweep.countsTimeouts(new UpgradeTask(withRetries.id(), withRetries.productId(), withRetries.firmwareId(),
                withRetries.status(), withRetries.stage(), withRetries.createdAt(), withRetries.firmware(), retrying))).isTrue();
    }

    @Test
    void aCriterionCountsOnlyItsOwnKindAndARetryTakesItsFailureBack() {
        JsonNode task = task("{\"failureType\":\"REJECTED\",\"action\":\"CANCEL\",\"thresholdPercentage\":50,"
                + "\"minNumberOfExecutedThings\":10}");
        String pid = task.get("productId").asText();
        String taskId = task.get("id").asText();
        List<String> offered = check(pid, FleetHarness.devices(40));
        FleetHarness.Instance at = instances.get(0);
        // 20 plain failures: 100 % failed, 0 % rejected.
        for (int i = 0; i < 20; i++) {
            fail(at, pid, taskId, offered.get(i), FailureKind.DOWNLOAD).block();
        }
        assertThat(status(taskId)).isEqualTo(TaskStatus.RUNNING);
        // 19 rejections among 39 finished: 48.7 %, under 50 %.
        for (int i = 20; i < 39; i++) {
            fail(at, pid, taskId, offered.get(i), FailureKind.REJECTED).block();
        }
        assertThat(status(taskId)).isEqualTo(TaskStatus.RUNNING);
        // A rejected device tries again (FAILED → DOWNLOADING): its rejection is taken back with its failure.
        assertThat(at.progress().reportStep(pid, offered.get(20), taskId, 5, "again").block().outcome())
                .isEqualTo(Transition.Outcome.APPLIED);
        // 19 of 39 finished again after the 40th: 18 + 1 = 19 rejected of 39, still under; then the retry rejects again.
        fail(at, pid, taskId, offered.get(39), FailureKind.REJECTED).block();
        assertThat(status(taskId)).as("19 rejected of 39").isEqualTo(TaskStatus.RUNNING);
        fail(at, pid, taskId, offered.get(20), FailureKind.REJECTED).block();
        assertThat(status(taskId)).as("20 rejected of 40").isEqualTo(TaskStatus.STOPPED);
        JsonNode abort = view(taskId).get("abort");
        assertThat(abort.get("failureType").asText()).isEqualTo("REJECTED");
        assertThat(abort.get("finished").asLong()).isEqualTo(40);
        assertThat(abort.get("count").asLong()).isEqualTo(20);
    }
}
