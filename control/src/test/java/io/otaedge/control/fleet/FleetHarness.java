package io.otaedge.control.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.testing.OpenApiResponses;
import io.otaedge.common.token.TokenStore;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.device.DeviceCheck;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.engine.CheckOutcome;
import io.otaedge.control.engine.DeviceCheckService;
import io.otaedge.control.engine.NoUpgradeReason;
import io.otaedge.control.engine.UpgradeDecisionEngine;
import io.otaedge.control.task.AbortCriterion;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.progress.TaskOutcomes;
import io.otaedge.control.task.RolloutRateGate;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.UpgradeTask;
import io.otaedge.control.task.UpgradeType;
import io.otaedge.control.task.WindowHolds;
import io.otaedge.control.token.TokenIssuer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;

/**
 * A simulated fleet's control plane: one control server (the admin API the test sets tasks up with; its periodic judges held off) and several
 * control instances' check and progress paths over the same Redis, built as ControlCore builds them, on the test's
 * clock. Devices check round-robin through the instances, so every control is exercised across instances. What the
 * instances report through their metric hooks is counted here.
 */
public final class FleetHarness implements AutoCloseable {

    /** One control instance's device paths. */
    public record Instance(DeviceCheckService checks, DeviceProgressService progress, TaskRepository tasks) {
    }

    /** A product whose task to firmware 2.0 is running; devices check on 1.0. */
    public record Fleet(String pid, String taskId) {
    }

    private static final OpenApiResponses CONTRACT = OpenApiResponses.load();

    public final ControlHarness control;
    public final Clock clock;
    public final List<Instance> instances = new ArrayList<>();
    /** Checks held by a task's rollout rate, by its window, and by its retry policy (by reason), as metrics count them. */
    public final AtomicInteger rateHeld = new AtomicInteger();
    public final AtomicInteger windowHeld = new AtomicInteger();
    public final Map<NoUpgradeReason, Integer> retryHeld = new ConcurrentHashMap<>();
    /** Tasks aborted (by failure type) and rollback tasks created, as the alerts' counters see them. */
    public final List<AbortCriterion.FailureType> aborts = new CopyOnWriteArrayList<>();
    public final List<String> rollbacks = new CopyOnWriteArrayList<>();

    /**
     * @param redis          the Redis of the fleet, null for the shared test Redis
     * @param clock          every instance's clock
     * @param n              how many control instances
     * @param upgradeTimeout when a silent device times out
     * @param tokenTtl       how long a download token lives
     */
    public FleetHarness(RedisConnector redis, Clock clock, int n, Duration upgradeTimeout, Duration tokenTtl) {
        // The server's periodic judges (timeout sweep, stage success) run on the real clock: on a fake one months
        // away they would fail the fleet's devices between two steps of the simulation. An hour keeps them out.
        String[] settings = {"OTA_TASK_METRICS_INTERVAL", "PT1H"};
        this.control = redis == null ? new ControlHarness(settings) : new ControlHarness(redis, settings);
        this.clock = clock;
        for (int i = 0; i < n; i++) {
            instances.add(instance(upgradeTimeout, tokenTtl));
        }
    }

    /** Two instances, a one-hour upgrade timeout, day-long tokens. */
    public FleetHarness(Clock clock) {
        this(null, clock, 2, Duration.ofHours(1), Duration.ofDays(1));
    }

    private Instance instance(Duration upgradeTimeout, Duration tokenTtl) {
        RedisClusterAsyncCommands<String, String> r = control.redis.async();
        TaskRepository tasks = new TaskRepository(r);
        FirmwareRepository firmwares = new FirmwareRepository(r);
        DeviceRepository devices = new DeviceRepository(r);
        TaskOutcomes outcomes = new TaskOutcomes() {
            @Override
            public void aborted(UpgradeTask task, AbortCriterion.FailureType type) {
                aborts.add(type);
            }

            @Override
            public void rolledBack(UpgradeTask task, UpgradeTask rollback) {
                rollbacks.add(rollback.id());
            }
        };
        DeviceProgressService progress = new DeviceProgressService(r, tasks, devices, firmwares, upgradeTimeout, clock,
                new DownloadProgressStore(r), outcomes);
        DeviceCheckService checks = new DeviceCheckService(devices, new UpgradeDecisionEngine(tasks, firmwares, clock),
                new TokenIssuer(r, new TokenStore(r), tokenTtl, clock, () -> { }), clock, progress,
                new RolloutRateGate(r), rateHeld::incrementAndGet, new WindowHolds(r, windowHeld::incrementAndGet),
                reason -> retryHeld.merge(reason, 1, Integer::sum));
        return new Instance(checks, progress, tasks);
    }

    /** The {@code i}-th instance, round-robin. */
    public Instance at(long i) {
        return instances.get((int) (i % instances.size()));
    }

    /** A new product with firmware 2.0 and a task to it with {@code taskFields} (JSON members, may be empty). */
    public Fleet fleet(String prefix, String taskFields) {
        String pid = ControlHarness.uniqueId(prefix);
        control.createProduct(pid);
        String fw = control.uploadFirmware(pid, "2.0", new byte[] {1, 2, 3}).get("id").asText();
        String body = "{\"firmwareId\":\"" + fw + "\"" + (taskFields.isEmpty() ? "" : "," + taskFields) + "}";
        return new Fleet(pid, control.createTask(pid, body).get("id").asText());
    }

    /** Device ids {@code dev0 … dev<n-1>}. */
    public static List<String> devices(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add("dev" + i);
        }
        return out;
    }

    /** A OneNET-like FOTA check of {@code device} on {@code version}. */
    public static DeviceCheck check(String pid, String device, String version) {
        return new DeviceCheck(pid, device, UpgradeType.FOTA, version, "China Mobile", "M5310", 10, 30);
    }

    /**
     * Every device checks once on {@code version}, round-robin over the instances, {@code concurrency} at a time:
     * device → what it was answered.
     */
    public Map<String, CheckOutcome> checkAll(String pid, Collection<String> devices, String version, int concurrency) {
        AtomicInteger next = new AtomicInteger();
        Map<String, CheckOutcome> out = new ConcurrentHashMap<>();
        Flux.fromIterable(devices)
                .flatMap(d -> at(next.getAndIncrement()).checks().check(check(pid, d, version))
                        .doOnNext(o -> out.put(d, o)), concurrency)
                .blockLast(Duration.ofMinutes(2));
        return out;
    }

    /** The devices of {@code answers} that were offered the task. */
    public static List<String> offered(Map<String, CheckOutcome> answers) {
        return answers.entrySet().stream().filter(e -> e.getValue() instanceof CheckOutcome.Offer)
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** The task as the admin API shows it, checked against docs/openapi.yaml. */
    public JsonNode task(String taskId) {
        return adminRead("/admin/v1/tasks/" + taskId);
    }

    /** The task's progress view (no device rows), checked against docs/openapi.yaml. */
    public JsonNode progressView(String taskId) {
        return adminRead("/admin/v1/tasks/" + taskId + "/progress?limit=0");
    }

    private JsonNode adminRead(String path) {
        HttpResponse<String> r = control.adminGet(path);
        assertThat(CONTRACT.problems("GET", path, r.statusCode(), r.body())).isEmpty();
        return ControlHarness.json(r);
    }

    /** Stops the control server; fails when any instance blocked an event loop. */
    @Override
    public void close() {
        control.close();
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }
}
