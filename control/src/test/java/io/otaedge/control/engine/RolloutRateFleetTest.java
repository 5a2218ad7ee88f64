package io.otaedge.control.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.control.fleet.FakeClock;
import io.otaedge.control.fleet.FleetHarness;
import io.otaedge.control.task.RolloutRate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * A simulated fleet against a task's rollout rate: thousands of virtual devices check through two control
 * instances (two {@link DeviceCheckService}s over one Redis) on a fake clock, every held device coming back the next
 * minute. Tolerance: none within a clock minute (the script counts and checks in one step), so each minute lets in
 * exactly the rate in force while demand exceeds it; enrolled devices keep their offer; held ones are told the
 * seconds to the next minute.
 */
class RolloutRateFleetTest {

    static final Instant START = Instant.parse("2026-03-01T02:00:00Z");

    static final FakeClock clock = new FakeClock(START);
    static FleetHarness fleet;

    @BeforeAll
    static void start() {
        fleet = new FleetHarness(clock);
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    static String product(String taskJson) {
        return fleet.fleet("rate", taskJson).pid();
    }

    /** One minute of the fleet: every waiting device checks once, at second 15, through either instance. */
    static Minute minute(String pid, List<String> waiting, int m) {
        clock.set(START.plusSeconds(60L * m + 15));
        Minute out = new Minute(new HashSet<>(), new HashSet<>(), new HashSet<>());
        AtomicInteger next = new AtomicInteger();
        Flux.fromIterable(waiting)
                .flatMap(d -> fleet.at(next.getAndIncrement()).checks().check(FleetHarness.check(pid, d, "1.0")).map(o -> {
                    synchronized (out) {
                        if (o instanceof CheckOutcome.Offer) {
                            out.offered().add(d);
                        } else if (o instanceof CheckOutcome.Refused no && no.reason() == NoUpgradeReason.RATE_HELD) {
                            out.held().add(d);
                            out.retryAfter().add(no.retryAfterSeconds());
                        }
                    }
                    return o;
                }), 32)
                .blockLast(Duration.ofMinutes(2));
        return out;
    }

    record Minute(Set<String> offered, Set<String> held, Set<Integer> retryAfter) {
    }

    @Test
    void aFixedRateLetsInExactlyNNewDevicesAMinuteAcrossInstancesAndEnrolledOnesKeepTheirOffer() {
        String pid = product("\"maximumPerMinute\":250");
        List<String> waiting = FleetHarness.devices(1000);
        List<String> enrolled = new ArrayList<>();
        int heldBefore = fleet.rateHeld.get();
        int checksHeld = 0;
        for (int m = 0; !waiting.isEmpty(); m++) {
            Minute minute = minute(pid, waiting, m);
            assertThat(minute.offered()).as("minute %d", m).hasSize(Math.min(250, waiting.size()));
            assertThat(minute.offered().size() + minute.held().size()).isEqualTo(waiting.size());
            if (!minute.held().isEmpty()) {
                // 45 s to the next minute, each device's stretched by its own jitter (up to +20 %, never sooner).
                assertThat(minute.retryAfter()).allSatisfy(s -> assertThat(s).isBetween(45, 54));
            }
            checksHeld += minute.held().size();
            // A sample of the devices let in earlier checks again in this minute: each keeps its offer.
            List<String> again = enrolled.subList(0, Math.min(50, enrolled.size()));
            assertThat(minute(pid, again, m).offered()).containsExactlyInAnyOrderElementsOf(again);
            enrolled.addAll(minute.offered());
            waiting = new ArrayList<>(minute.held());
        }
        assertThat(enrolled).hasSize(1000).doesNotHaveDuplicates();
        assertThat(fleet.rateHeld.get() - heldBefore).isEqualTo(checksHeld);
    }

    @Test
    void anExponentialRateGrowsByItsFactorEachIncrementAndStopsAtItsMaximum() {
        RolloutRate rate = new RolloutRate(200, 20, 2.0, 40);
        String pid = product("\"baseRatePerMinute\":20,\"incrementFactor\":2,\"incrementBy\":40,\"maximumPerMinute\":200");
        List<String> waiting = FleetHarness.devices(800);
        long admitted = 0;
        boolean capped = false;
        for (int m = 0; !waiting.isEmpty(); m++) {
            // The model: within a minute the rate in force is re-read after each device let in.
            long expected = 0;
            while (expected < rate.perMinuteAfter(admitted) && expected < waiting.size()) {
                expected++;
                admitted++;
            }
            capped |= expected == 200;
            Minute minute = minute(pid, waiting, m);
            assertThat(minute.offered()).as("minute %d", m).hasSize((int) expected);
            waiting = new ArrayList<>(minute.held());
        }
        assertThat(admitted).isEqualTo(800);
        assertThat(capped).as("the maximum was reached").isTrue();
    }

    @Test
    void aTaskWithoutARateOffersTheWholeFleetAtOnce() {
        String pid = product("\"retry\":3");
        assertThat(minute(pid, FleetHarness.devices(500), 0).offered()).hasSize(500);
    }
}
