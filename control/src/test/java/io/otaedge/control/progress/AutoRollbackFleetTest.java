package io.otaedge.control.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.fleet.FleetHarness;
import io.otaedge.control.engine.CheckOutcome;
import io.otaedge.control.task.AbortCriterion;
import io.otaedge.control.task.UpgradeMode;
import io.otaedge.control.task.UpgradeTask;
import io.otaedge.control.task.UpgradeType;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    static FleetHarness harness;
    static List<FleetHarness.Instance> instances;
    static List<String> rollbacks;
    static ControlHarness control;

    @BeforeAll
    static void start() {
        harness = new FleetHarness(Clock.systemUTC());
        instances = harness.instances;
        rollbacks = harness.rollbacks;
        control = harness.control;
    }

    @AfterAll
    static void stop() {
        harness.close();
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
        return FleetHarness.devices(n).stream().map(d -> String.format("dev%04d", Integer.parseInt(d.substring(3)))).toList();
    }

    static Map<String, CheckOutcome.Offer> check(String pid, List<String> devices) {
        return check(pid, devices, "1.0");
    }

    /** Every device checks once on {@code version}, spread over both instances: device → the offer it got (absent: none). */
    static Map<String, CheckOutcome.Offer> check(String pid, List<String> devices, String version) {
        Map<String, CheckOutcome.Offer> out = new HashMap<>();
        harness.checkAll(pid, devices, version, 8).forEach((d, o) -> {
            if (o instanceof CheckOutcome.Offer offer) {
                out.put(d, offer);
            }
        });
        return out;
    }

    static void fail(int i, Fleet f, String device) {
        instances.get(i % 2).progress().reportFailure(f.pid(), device, f.taskId(), FailureKind.DOWNLOAD, -1, "failed").block();
    }

    static void succeed(int i, Fleet f, String device) {
        instances.get(i % 2).progress().reportVersion(f.pid(), device, UpgradeType.FOTA, "2.0").block();
    }

    static JsonNode view(String taskId) {
        return harness.progressView(taskId);
    }

    static JsonNode task(String taskId) {
        return harness.task(taskId);
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
