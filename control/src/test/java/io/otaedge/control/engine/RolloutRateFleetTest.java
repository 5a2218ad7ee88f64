package io.otaedge.control.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.token.TokenStore;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.device.DeviceCheck;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.task.RolloutRate;
import io.otaedge.control.task.RolloutRateGate;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.UpgradeType;
import io.otaedge.control.token.TokenIssuer;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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

    static ControlHarness control;
    static final FakeClock clock = new FakeClock();
    static final AtomicInteger held = new AtomicInteger();
    static List<DeviceCheckService> instances;

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

    /** One control instance's check path, as ControlServer builds it, on the fake clock. */
    static DeviceCheckService instance() {
        RedisClusterAsyncCommands<String, String> r = control.redis.async();
        TaskRepository tasks = new TaskRepository(r);
        FirmwareRepository firmwares = new FirmwareRepository(r);
        DeviceRepository devices = new DeviceRepository(r);
        DeviceProgressService progress = new DeviceProgressService(r, tasks, devices, firmwares, Duration.ofHours(1), clock,
                new DownloadProgressStore(r));
        return new DeviceCheckService(devices, new UpgradeDecisionEngine(tasks, firmwares, clock),
                new TokenIssuer(r, new TokenStore(r), Duration.ofDays(1), clock, () -> { }), clock, progress,
                new RolloutRateGate(r), held::incrementAndGet);
    }

    static String product(String taskJson) {
        String pid = ControlHarness.uniqueId("rate");
        control.createProduct(pid);
        String fw = control.uploadFirmware(pid, "2.0", new byte[] {1, 2, 3}).get("id").asText();
        control.createTask(pid, "{\"firmwareId\":\"" + fw + "\"," + taskJson + "}");
        return pid;
    }

    /** One minute of the fleet: every waiting device checks once, at second 15, through either instance. */
    static Minute minute(String pid, List<String> waiting, int m) {
        clock.set(START.plusSeconds(60L * m + 15));
        Minute out = new Minute(new HashSet<>(), new HashSet<>(), new HashSet<>());
        AtomicInteger next = new AtomicInteger();
        Flux.fromIterable(waiting)
                .flatMap(d -> instances.get(next.getAndIncrement() % 2).check(check(pid, d)).map(o -> {
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

    static DeviceCheck check(String pid, String device) {
        return new DeviceCheck(pid, device, UpgradeType.FOTA, "1.0", "China Mobile", "M5310", 10, 30);
    }

    static List<String> fleet(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add("dev" + i);
        }
        return out;
    }

    @Test
    void aFixedRateLetsInExactlyNNewDevicesAMinuteAcrossInstancesAndEnrolledOnesKeepTheirOffer() {
        String pid = product("\"maximumPerMinute\":250");
        List<String> waiting = fleet(1000);
        List<String> enrolled = new ArrayList<>();
        int heldBefore = held.get();
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
        assertThat(held.get() - heldBefore).isEqualTo(checksHeld);
    }

    @Test
    void anExponentialRateGrowsByItsFactorEachIncrementAndStopsAtItsMaximum() {
        RolloutRate rate = new RolloutRate(200, 20, 2.0, 40);
        String pid = product("\"baseRatePerMinute\":20,\"incrementFactor\":2,\"incrementBy\":40,\"maximumPerMinute\":200");
        List<String> waiting = fleet(800);
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
        assertThat(minute(pid, fleet(500), 0).offered()).hasSize(500);
    }

    static final class FakeClock extends Clock {
        private final AtomicLong millis = new AtomicLong(START.toEpochMilli());

        void set(Instant t) {
            millis.set(t.toEpochMilli());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }
}
