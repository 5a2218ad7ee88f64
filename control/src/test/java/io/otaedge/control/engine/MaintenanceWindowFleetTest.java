package io.otaedge.control.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.fleet.FakeClock;
import io.otaedge.control.fleet.FleetHarness;
import io.otaedge.control.progress.Transition;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.Jitter;
import io.otaedge.control.task.UpgradeType;
import java.time.Duration;
import java.time.Instant;
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

    static final FakeClock clock = new FakeClock(DAY);
    static FleetHarness fleet;

    @BeforeAll
    static void start() {
        fleet = new FleetHarness(null, clock, 2, Duration.ofHours(1), Duration.ofDays(2));
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    /** What one round of checks at {@code at} gave: offers (device → token) and holds (device → retry hint). */
    record Round(Map<String, String> offered, Map<String, Integer> held) {
    }

    static Round round(String pid, List<String> devices, Instant at) {
        clock.set(at);
        Round out = new Round(new HashMap<>(), new HashMap<>());
        AtomicInteger next = new AtomicInteger();
        Flux.fromIterable(devices)
                .flatMap(d -> fleet.at(next.getAndIncrement()).checks().check(FleetHarness.check(pid, d, "1.0"))
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
        FleetHarness.Fleet f = fleet.fleet("window",
                "\"maintenanceWindows\":[{\"cron\":\"0 2 * * *\",\"duration\":\"PT1H\",\"zone\":\"UTC\"}]");
        String pid = f.pid();
        String taskId = f.taskId();
        List<String> devices = FleetHarness.devices(300);
        int heldBefore = fleet.windowHeld.get();

        Round before = round(pid, devices, DAY.plus(Duration.ofMinutes(90)));
        assertThat(before.offered()).isEmpty();
        assertThat(before.held()).hasSize(300);
        before.held().forEach((device, hint) -> assertThat(hint).as("seconds to 02:00, stretched by %s's jitter", device)
                .isEqualTo(Jitter.later(1800, taskId, device)).isBetween(1800, 2160));
        assertThat(new HashSet<>(before.held().values())).as("a waiting fleet spread, not told one second").hasSizeGreaterThan(100);

        List<String> early = devices.subList(0, 100);
        Round inside = round(pid, early, DAY.plus(Duration.ofMinutes(130)));
        assertThat(inside.offered()).hasSize(100);

        Instant after = DAY.plus(Duration.ofMinutes(210));
        Round closed = round(pid, devices, after);
        assertThat(closed.offered()).as("enrolled devices keep their token").isEqualTo(inside.offered());
        assertThat(closed.held().keySet()).containsExactlyInAnyOrderElementsOf(devices.subList(100, 300));
        closed.held().forEach((device, hint) -> assertThat(hint).as("seconds to tomorrow 02:00, jittered")
                .isEqualTo(Math.min(24 * 3600, Jitter.later(22 * 3600 + 30 * 60, taskId, device))));

        // An enrolled device goes on with its download and upgrade after the window closed.
        clock.set(after.plusSeconds(60));
        Transition step = fleet.at(0).progress().reportStep(pid, "dev0", taskId, 50, null).block(Duration.ofSeconds(10));
        assertThat(step.accepted()).isTrue();
        assertThat(step.to()).isEqualTo(DeviceTaskState.DOWNLOADING);
        List<Transition> done = fleet.at(0).progress().reportVersion(pid, "dev0", UpgradeType.FOTA, "2.0").block(Duration.ofSeconds(10));
        assertThat(done).anyMatch(Transition::completed);

        int holds = 300 + 200;
        assertThat(fleet.windowHeld.get() - heldBefore).isEqualTo(holds);
        JsonNode windows = ControlHarness.json(fleet.control.adminGet("/admin/v1/tasks/" + taskId + "/progress")).get("maintenanceWindows");
        assertThat(windows.get("heldByWindow").asInt()).isEqualTo(holds);
        assertThat(windows.get("windows").get(0).get("cron").asText()).isEqualTo("0 2 * * *");

        // The next night the held devices are let in.
        Round nextNight = round(pid, devices.subList(100, 300), DAY.plus(Duration.ofHours(26)));
        assertThat(nextNight.offered()).hasSize(200);
        Set<String> tokens = new HashSet<>(nextNight.offered().values());
        assertThat(tokens).hasSize(200);
    }
}
