package io.otaedge.control.engine;

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
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.progress.Transition;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.Jitter;
import io.otaedge.control.task.RolloutRateGate;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.UpgradeType;
import io.otaedge.control.task.WindowHolds;
import io.otaedge.control.token.TokenIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * A simulated fleet of 300 devices against a task's maintenance window (02:00–03:00 UTC daily), checking through two
 * control instances on a fake clock: before the window nobody is offered and everyone is told the seconds to 02:00;
 * inside it the devices that check are enrolled; after it those keep their token and finish their download while
 * the others are held until the next night. Every hold is counted once, in the metric and in the task view.
 */
class MaintenanceWindowFleetTest {

    static final Instant DAY = Instant.parse("2026-03-01T00:00:00Z");

    static ControlHarness control;
    static final RolloutRateFleetTest.FakeClock clock = new RolloutRateFleetTest.FakeClock();
    static final AtomicInteger heldMetric = new AtomicInteger();
    static List<DeviceCheckService> instances;
    static DeviceProgressService progress;

    @BeforeAll
    static void start() {
        control = new ControlHarness();
        instances = List.of(instance(), instance());
    }

    @AfterAll
    static void stop() {
        control.close();
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    static DeviceCheckService instance() {
        RedisClusterAsyncCommands<String, String> r = control.redis.async();
        TaskRepository tasks = new TaskRepository(r);
        FirmwareRepository firmwares = new FirmwareRepository(r);
        DeviceRepository devices = new DeviceRepository(r);
        progress = new DeviceProgressService(r, tasks, devices, firmwares, Duration.ofHours(1), clock, new DownloadProgressStore(r));
        return new DeviceCheckService(devices, new UpgradeDecisionEngine(tasks, firmwares, clock),
                new TokenIssuer(r, new TokenStore(r), Duration.ofDays(2), clock, () -> { }), clock, progress,
                new RolloutRateGate(r), () -> { }, new WindowHolds(r, heldMetric::incrementAndGet));
    }

    /** What one round of checks at {@code at} gave: offers (device → token) and holds (device → retry hint). */
    record Round(Map<String, String> offered, Map<String, Integer> held) {
    }

    static Round round(String pid, List<String> devices, Instant at) {
        clock.set(at);
        Round out = new Round(new HashMap<>(), new HashMap<>());
        AtomicInteger next = new AtomicInteger();
        Flux.fromIterable(devices)
                .flatMap(d -> instances.get(next.getAndIncrement() % 2)
                        .check(new DeviceCheck(pid, d, UpgradeType.FOTA, "1.0", "China Mobile", "M5310", 10, 30))
                        .doOnNext(o -> {
                            synchronized (out) {
                                if (o instanceof CheckOutcome.Offer offer) {
                                    out.offered().put(d, offer.grant().token());
                                } else if (o instanceof CheckOutcome.Refused no && no.reason() == NoUpgradeReason.MAINTENANCE_WINDOW) {
                                    out.held().put(d, no.retryAfterSeconds());
                                }
                            }
                        }), 16)
                .blockLast(Duration.ofMinutes(1));
        return out;
    }

    @Test
    void nothingStartsOutsideTheWindowAndADeviceEnrolledInsideItFinishesAfterItCloses() {
        String pid = ControlHarness.uniqueId("window");
        control.createProduct(pid);
        String fw = control.uploadFirmware(pid, "2.0", new byte[] {1, 2, 3}).get("id").asText();
        String taskId = control.createTask(pid, "{\"firmwareId\":\"" + fw + "\",\"maintenanceWindows\":"
                + "[{\"cron\":\"0 2 * * *\",\"duration\":\"PT1H\",\"zone\":\"UTC\"}]}").get("id").asText();
        List<String> fleet = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            fleet.add("dev" + i);
        }
        int heldBefore = heldMetric.get();

        Round before = round(pid, fleet, DAY.plus(Duration.ofMinutes(90)));
        assertThat(before.offered()).isEmpty();
        assertThat(before.held()).hasSize(300);
        before.held().forEach((device, hint) -> assertThat(hint).as("seconds to 02:00, stretched by %s's jitter", device)
                .isEqualTo(Jitter.later(1800, taskId, device)).isBetween(1800, 2160));
        assertThat(new HashSet<>(before.held().values())).as("a waiting fleet spread, not told one second").hasSizeGreaterThan(100);

        List<String> early = fleet.subList(0, 100);
        Round inside = round(pid, early, DAY.plus(Duration.ofMinutes(130)));
        assertThat(inside.offered()).hasSize(100);

        Instant after = DAY.plus(Duration.ofMinutes(210));
        Round closed = round(pid, fleet, after);
        assertThat(closed.offered()).as("enrolled devices keep their token").isEqualTo(inside.offered());
        assertThat(closed.held().keySet()).containsExactlyInAnyOrderElementsOf(fleet.subList(100, 300));
        closed.held().forEach((device, hint) -> assertThat(hint).as("seconds to tomorrow 02:00, jittered")
                .isEqualTo(Math.min(24 * 3600, Jitter.later(22 * 3600 + 30 * 60, taskId, device))));

        // An enrolled device goes on with its download and upgrade after the window closed.
        clock.set(after.plusSeconds(60));
        Transition step = progress.reportStep(pid, "dev0", taskId, 50, null).block(Duration.ofSeconds(10));
        assertThat(step.accepted()).isTrue();
        assertThat(step.to()).isEqualTo(DeviceTaskState.DOWNLOADING);
        List<Transition> done = progress.reportVersion(pid, "dev0", UpgradeType.FOTA, "2.0").block(Duration.ofSeconds(10));
        assertThat(done).anyMatch(Transition::completed);

        int holds = 300 + 200;
        assertThat(heldMetric.get() - heldBefore).isEqualTo(holds);
        JsonNode windows = ControlHarness.json(control.adminGet("/admin/v1/tasks/" + taskId + "/progress")).get("maintenanceWindows");
        assertThat(windows.get("heldByWindow").asInt()).isEqualTo(holds);
        assertThat(windows.get("windows").get(0).get("cron").asText()).isEqualTo("0 2 * * *");

        // The next night the held devices are let in.
        Round nextNight = round(pid, fleet.subList(100, 300), DAY.plus(Duration.ofHours(26)));
        assertThat(nextNight.offered()).hasSize(200);
        Set<String> tokens = new HashSet<>(nextNight.offered().values());
        assertThat(tokens).hasSize(200);
    }
}
