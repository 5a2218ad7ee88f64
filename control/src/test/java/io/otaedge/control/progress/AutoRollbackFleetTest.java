package io.otaedge.control.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.token.TokenStore;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.device.DeviceCheck;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.engine.CheckOutcome;
import io.otaedge.control.engine.DeviceCheckService;
import io.otaedge.control.engine.UpgradeDecisionEngine;
import io.otaedge.control.task.AbortCriterion;
import io.otaedge.control.task.RolloutRateGate;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.UpgradeMode;
import io.otaedge.control.task.UpgradeTask;
import io.otaedge.control.task.UpgradeType;
import io.otaedge.control.token.TokenIssuer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * A simulated fleet against a task's automatic rollback (Azure Device Update's cloud-initiated rollback,
 * learn.microsoft.com/azure/iot-hub-device-update/device-update-configure-rollback): devices are offered a task
 * through two control instances over one Redis and report through either; when the failures reach the rollback
 * threshold over the minimum, one rollback task appears, for exactly the devices failed at that moment, offered
 * to them (and only them), forced, as a downgrade to the operator's firmware, linked both ways, with its own
 * abort criteria; concurrent failures on two instances create it once.
 */
class AutoRollbackFleetTest {

    static ControlHarness control;
    static final List<Instance> instances = new ArrayList<>();
    static final List<String> rollbacks = new CopyOnWriteArrayList<>();

    record Instance(DeviceCheckService checks, DeviceProgressService progress, TaskRepository tasks) {
    }

    @BeforeAll
    static void start() {
        control = new ControlHarness();
        instances.add(instance());
        instances.add(instance());
    }

    @AfterAll
    static void stop() {
        control.close();
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    static Instance instance() {
        RedisClusterAsyncCommands<String, String> r = control.redis.async();
        Clock clock = Clock.systemUTC();
        TaskRepository tasks = new TaskRepository(r);
        FirmwareRepository firmwares = new FirmwareRepository(r);
        DeviceRepository devices = new DeviceRepository(r);
        DeviceProgressService progress = new DeviceProgressService(r, tasks, devices, firmwares, Duration.ofHours(1), clock,
                new DownloadProgressStore(r), new TaskOutcomes() {
                    @Override
                    public void aborted(UpgradeTask task, AbortCriterion.FailureType type) {
                    }

                    @Override
                    public void rolledBack(UpgradeTask task, UpgradeTask rollback) {
                        rollbacks.add(rollback.id());
                    }
                });
        DeviceCheckService checks = new DeviceCheckService(devices, new UpgradeDecisionEngine(tasks, firmwares, clock),
                new TokenIssuer(r, new TokenStore(r), Duration.ofDays(1), clock, () -> { }), clock, progress,
                new RolloutRateGate(r), () -> { });
        return new Instance(checks, progress, tasks);
    }

    record Fleet(String pid, String taskId, String rollbackFirmware) {
    }

    /** A product on 1.0, a known-good 0.9 to roll back to, and a task to 2.0 that rolls back at 20 % over 100. */
    static Fleet fleet() {
        String pid = ControlHarness.uniqueId("rollback");
        control.createProduct(pid);
        String good = control.uploadFirmware(pid, "0.9", new byte[] {9}).get("id").asText();
        String fw = control.uploadFirmware(pid, "2.0", new byte[] {1, 2, 3}).get("id").asText();
        JsonNode task = control.createTask(pid, "{\"firmwareId\":\"" + fw + "\",\"autoRollback\":{\"thresholdPercentage\":20,"
                + "\"minNumberOfExecutedThings\":100,\"firmwareId\":\"" + good + "\",\"abortCriteria\":[{\"failureType\":\"ALL\","
                + "\"action\":\"CANCEL\",\"thresholdPercentage\":50,\"minNumberOfExecutedThings\":10}]}}");
        return new Fleet(pid, task.get("id").asText(), good);
    }

    static List<String> devices(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(String.format("dev%04d", i));
        }
        return out;
    }

    static Map<String, CheckOutcome.Offer> check(String pid, List<String> devices) {
        return check(pid, devices, "1.0");
    }

    /** Every device checks once on {@code version}, spread over both instances: device → the offer it got (absent: none). */
    static Map<String, CheckOutcome.Offer> check(String pid, List<String> devices, String version) {
        AtomicInteger next = new AtomicInteger();
        Map<String, CheckOutcome.Offer> out = new HashMap<>();
        Flux.fromIterable(devices)
                .flatMap(d -> instances.get(next.getAndIncrement() % 2).checks()
                        .check(new DeviceCheck(pid, d, UpgradeType.FOTA, version, "China Mobile", "M5310", 10, 30))
                        .filter(o -> o instanceof CheckOutcome.Offer)
                        .doOnNext(o -> {
                            synchronized (out) {
                                out.put(d, (CheckOutcome.Offer) o);
                            }
                        }), 8)
                .blockLast(Duration.ofMinutes(1));
        return out;
    }

    static void fail(int i, Fleet f, String device) {
        instances.get(i % 2).progress().reportFailure(f.pid(), device, f.taskId(), FailureKind.DOWNLOAD, -1, "failed").block();
    }

    static void succeed(int i, Fleet f, String device) {
        instances.get(i % 2).progress().reportVersion(f.pid(), device, UpgradeType.FOTA, "2.0").block();
    }

    /** The task's progress view, checked against docs/openapi.yaml. */
    static JsonNode view(String taskId) {
        String path = "/admin/v1/tasks/" + taskId + "/progress?limit=0";
        java.net.http.HttpResponse<String> r = control.adminGet(path);
        assertThat(CONTRACT.problems("GET", path, r.statusCode(), r.body())).isEmpty();
        return ControlHarness.json(r);
    }

    static final io.otaedge.common.testing.OpenApiResponses CONTRACT = io.otaedge.common.testing.OpenApiResponses.load();

    /** The task as the admin API shows it, checked against docs/openapi.yaml. */
    static JsonNode task(String taskId) {
        String path = "/admin/v1/tasks/" + taskId;
        java.net.http.HttpResponse<String> r = control.adminGet(path);
        assertThat(CONTRACT.problems("GET", path, r.statusCode(), r.body())).isEmpty();
        return ControlHarness.json(r);
    }

    @Test
    void aRollbackTaskAppearsOnceForExactlyTheFailedDevicesAndIsOfferedOnlyToThemForced() {
        Fleet f = fleet();
        List<String> fleet = devices(1000);
        assertThat(check(f.pid(), fleet)).hasSize(1000);
        // 80 successes, then failures: the 20th failure brings 20 of 100 finished to 20 %.
        for (int i = 0; i < 80; i++) {
            succeed(i, f, fleet.get(i));
        }
        int before = rollbacks.size();
        for (int i = 80; i < 99; i++) {
            fail(i, f, fleet.get(i));
        }
        assertThat(rollbacks).as("19 of 99: under the threshold").hasSize(before);
        assertThat(view(f.taskId()).has("rollbackTaskId")).isFalse();
        fail(99, f, fleet.get(99));
        assertThat(rollbacks).hasSize(before + 1);
        String rollbackId = rollbacks.get(before);
        // Later failures (on both instances) make no second rollback and are not in this one.
        for (int i = 100; i < 130; i++) {
            fail(i, f, fleet.get(i));
        }
        assertThat(rollbacks).hasSize(before + 1);

        JsonNode origin = view(f.taskId());
        assertThat(origin.get("rollbackTaskId").asText()).isEqualTo(rollbackId);
        assertThat(origin.get("rollback").get("devices").asLong()).isEqualTo(20);
        assertThat(origin.get("rollback").get("finished").asLong()).isEqualTo(100);
        assertThat(origin.get("rollback").get("failed").asLong()).isEqualTo(20);
        assertThat(view(rollbackId).get("rollbackOf").asText()).isEqualTo(f.taskId());
        assertThat(task(rollbackId).get("rollbackOf").asText()).isEqualTo(f.taskId());
        assertThat(task(f.taskId()).get("autoRollback").get("firmwareId").asText()).isEqualTo(f.rollbackFirmware());

        UpgradeTask rb = instances.get(0).tasks().find(rollbackId).block();
        List<String> failedFirst = fleet.subList(80, 100);
        assertThat(rb.spec().targeting().devices()).containsExactlyElementsOf(failedFirst);
        assertThat(rb.spec().offer().mode()).isEqualTo(UpgradeMode.COMPELLENT);
        assertThat(rb.spec().offer().rollback()).isTrue();
        assertThat(rb.firmwareId()).isEqualTo(f.rollbackFirmware());
        assertThat(rb.spec().rollbackOf()).isEqualTo(f.taskId());
        assertThat(rb.spec().autoRollback()).isNull();
        assertThat(rb.spec().abortCriteria()).containsExactly(new AbortCriterion(AbortCriterion.FailureType.ALL, "CANCEL", 50, 10));

        // Every device checks again (those that succeeded on 2.0): the 20 get the rollback to 0.9, nobody else does.
        Map<String, CheckOutcome.Offer> offers = check(f.pid(), fleet.subList(80, 1000));
        assertThat(check(f.pid(), fleet.subList(0, 80), "2.0")).as("devices that succeeded are offered nothing").isEmpty();
        List<String> offeredRollback = offers.entrySet().stream().filter(e -> e.getValue().task().id().equals(rollbackId))
                .map(Map.Entry::getKey).sorted().toList();
        assertThat(offeredRollback).containsExactlyElementsOf(failedFirst);
        assertThat(offers.get(failedFirst.get(0)).pkg().version()).isEqualTo("0.9");
        assertThat(offers.get(fleet.get(500)).task().id()).as("a device not started still gets the task").isEqualTo(f.taskId());
    }

    @Test
    void failuresJudgedAtOnceOnTwoInstancesCreateOneRollback() {
        Fleet f = fleet();
        List<String> fleet = devices(200);
        check(f.pid(), fleet);
        int before = rollbacks.size();
        AtomicInteger next = new AtomicInteger();
        Flux.fromIterable(fleet.subList(0, 120))
                .flatMap(d -> instances.get(next.getAndIncrement() % 2).progress()
                        .reportFailure(f.pid(), d, f.taskId(), FailureKind.DOWNLOAD, -1, "failed"), 4)
                .blockLast(Duration.ofMinutes(1));
        assertThat(rollbacks).hasSize(before + 1);
        assertThat(instances.get(0).tasks().newestFirst(f.pid()).block()).hasSize(2);
        JsonNode origin = view(f.taskId());
        UpgradeTask rb = instances.get(0).tasks().find(origin.get("rollbackTaskId").asText()).block();
        assertThat(rb.spec().targeting().devices()).hasSize((int) origin.get("rollback").get("devices").asLong())
                .hasSizeGreaterThanOrEqualTo(100).isSubsetOf(fleet.subList(0, 120));
    }

    @Test
    void aRollbackFirmwareThatIsNotTheProductsIsRefusedWhenTheTaskIsCreated() {
        String pid = ControlHarness.uniqueId("rollback");
        control.createProduct(pid);
        String fw = control.uploadFirmware(pid, "2.0", new byte[] {1}).get("id").asText();
        java.net.http.HttpResponse<String> r = control.adminPost("/admin/v1/products/" + pid + "/tasks", "{\"firmwareId\":\"" + fw
                + "\",\"autoRollback\":{\"thresholdPercentage\":20,\"minNumberOfExecutedThings\":10,\"firmwareId\":\"fw_nope\"}}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("autoRollback.firmwareId must name a firmware of product '" + pid + "'");
        assertThat(instances.get(0).tasks().newestFirst(pid).block()).isEmpty();
    }
}
