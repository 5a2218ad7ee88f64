package io.otaedge.control.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.redis.LocalRedisServer;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.fleet.FakeClock;
import io.otaedge.control.fleet.FleetHarness;
import io.otaedge.control.device.DeviceCheck;
import io.otaedge.control.task.DeviceTaskState;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A simulated fleet against a task's retry policy (AWS IoT Jobs {@code jobExecutionsRetryConfig}, by failure kind):
 * virtual devices check through two control instances over one Redis on a fake clock, each failing its own way
 * every time it is offered the task: during the download, during the install, or by going silent past the upgrade
 * timeout. Each is offered the task exactly once plus its kind's retries, then refused for good
 * ({@link NoUpgradeReason#RETRIES_EXHAUSTED}); between failures it is told to wait ({@link NoUpgradeReason#RETRY_WAIT})
 * a doubling wait stretched by its own jitter, the same hint at every check, the fleet's hints spread.
 */
class RetryPolicyFleetTest {

    static final Instant START = Instant.parse("2026-03-01T02:00:00Z");
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    static final FakeClock clock = new FakeClock(START);
    static FleetHarness fleet;
    static LocalRedisServer redisServer;
    static RedisConnector redis;

    /** A Redis of its own: the fleet's thousands of grants stay out of the store the other test classes scan. */
    @BeforeAll
    static void start() throws Exception {
        redisServer = LocalRedisServer.start(Files.createTempDirectory("ota-retry-fleet-"));
        redis = RedisConnector.connect(redisServer.uri());
        fleet = new FleetHarness(redis, clock, 2, TIMEOUT, Duration.ofDays(1));
    }

    @AfterAll
    static void stop() {
        fleet.close();
        redis.close();
        redisServer.close();
    }

    enum Fails { DOWNLOADING, INSTALLING, SILENTLY }

    /** What the simulation saw of each device. */
    static final class Seen {
        final Map<String, Integer> offers = new ConcurrentHashMap<>();
        final Map<String, List<Integer>> waits = new ConcurrentHashMap<>();
        final Map<String, Long> exhaustedAt = new ConcurrentHashMap<>();
    }

    /**
     * Runs the fleet until every device is refused for good: the clock jumps to the earliest device due, every device
     * due checks (through either instance); an offered device fails its way and checks again at once (a device
     * retrying), a device told to wait comes back exactly when told, a silent one when the timeout has passed.
     */
    static Seen run(FleetHarness.Fleet f, Map<String, Fails> devices) {
        Seen seen = new Seen();
        Map<String, Long> due = new HashMap<>();
        devices.keySet().forEach(d -> due.put(d, START.toEpochMilli()));
        for (int round = 0; !due.isEmpty(); round++) {
            assertThat(round).as("rounds").isLessThan(200);
            long now = due.values().stream().mapToLong(Long::longValue).min().getAsLong();
            clock.set(Instant.ofEpochMilli(now));
            List<String> ready = due.entrySet().stream().filter(e -> e.getValue() <= now).map(Map.Entry::getKey).toList();
            Map<String, Long> next = new ConcurrentHashMap<>();
            Flux.fromIterable(ready).index()
                    .flatMap(id -> visit(f, id.getT2(), devices.get(id.getT2()), fleet.at(id.getT1()).checks(), seen, now)
                            .doOnNext(t -> {
                                if (t >= 0) {
                                    next.put(id.getT2(), t);
                                }
                            }), 32)
                    .blockLast(Duration.ofMinutes(2));
            ready.forEach(due::remove);
            due.putAll(next);
        }
        return seen;
    }

    /** One device's turn; answers when it checks next, -1 once it is refused for good. */
    static Mono<Long> visit(FleetHarness.Fleet f, String d, Fails how, DeviceCheckService via, Seen seen, long now) {
        return via.check(check(f, d)).flatMap(o -> {
            if (o instanceof CheckOutcome.Offer) {
                seen.offers.merge(d, 1, Integer::sum);
                return fail(f, d, how).then(how == Fails.SILENTLY
                        ? Mono.just(now + TIMEOUT.toMillis() + 1_000)
                        : visit(f, d, how, via, seen, now));
            }
            CheckOutcome.Refused no = (CheckOutcome.Refused) o;
            if (no.reason() == NoUpgradeReason.RETRY_WAIT) {
                seen.waits.computeIfAbsent(d, k -> new ArrayList<>()).add(no.retryAfterSeconds());
                return Mono.just(now + no.retryAfterSeconds() * 1000L);
            }
            assertThat(no.reason()).as(d).isEqualTo(NoUpgradeReason.RETRIES_EXHAUSTED);
            seen.exhaustedAt.put(d, now);
            return Mono.just(-1L);
        });
    }

    /** The device's reports for one attempt, as a dialect turns them into calls. */
    static Mono<?> fail(FleetHarness.Fleet f, String d, Fails how) {
        return switch (how) {
            case DOWNLOADING -> fleet.at(0).progress().reportStep(f.pid(), d, f.taskId(), 10, "")
                    .then(fleet.at(0).progress().reportStep(f.pid(), d, f.taskId(), -2, "download failed"));
            case INSTALLING -> fleet.at(0).progress().reportStep(f.pid(), d, f.taskId(), 50, "")
                    .then(fleet.at(0).progress().reportStep(f.pid(), d, f.taskId(), 100, ""))
                    .then(fleet.at(0).progress().reportState(f.pid(), d, f.taskId(), DeviceTaskState.FAILED, -205, "md5 failed"));
            case SILENTLY -> fleet.at(0).progress().reportStep(f.pid(), d, f.taskId(), 10, "");
        };
    }

    static DeviceCheck check(FleetHarness.Fleet f, String device) {
        return FleetHarness.check(f.pid(), device, "1.0");
    }

    static Map<String, Fails> devices(int perKind) {
        Map<String, Fails> out = new TreeMap<>();
        for (int i = 0; i < perKind; i++) {
            for (Fails how : Fails.values()) {
                out.put(how.name().toLowerCase() + i, how);
            }
        }
        return out;
    }

    @Test
    void eachFailureKindIsRetriedExactlyItsCountThenTheDeviceIsNeverOfferedAgain() {
        FleetHarness.Fleet f = fleet.fleet("retry", "\"retry\":10,\"downloadRetries\":2,\"installRetries\":1,\"timeoutRetries\":0,\"retryWaitSeconds\":30");
        Map<String, Fails> devices = devices(100);
        fleet.retryHeld.clear();
        Seen seen = run(f, devices);

        Map<Fails, Integer> expected = Map.of(Fails.DOWNLOADING, 3, Fails.INSTALLING, 2, Fails.SILENTLY, 1);
        devices.forEach((d, how) -> assertThat(seen.offers.get(d)).as(d).isEqualTo(expected.get(how)));
        assertThat(seen.exhaustedAt).hasSize(devices.size());
        // Refused for good: a later check (a day on) is still refused, through either instance.
        clock.set(START.plus(Duration.ofDays(1)));
        Flux.fromIterable(devices.keySet()).index()
                .flatMap(d -> fleet.at(d.getT1()).checks().check(check(f, d.getT2())), 32)
                .doOnNext(o -> assertThat(o).isEqualTo(new CheckOutcome.Refused(NoUpgradeReason.RETRIES_EXHAUSTED)))
                .blockLast(Duration.ofMinutes(2));
        // The metric's counts: every refusal told, none else.
        assertThat(fleet.retryHeld.get(NoUpgradeReason.RETRIES_EXHAUSTED)).isEqualTo(2 * devices.size());
        assertThat(fleet.retryHeld.get(NoUpgradeReason.RETRY_WAIT)).isEqualTo(seen.waits.values().stream().mapToInt(List::size).sum());

        JsonNode figures = ControlHarness.json(fleet.control.adminGet("/admin/v1/tasks/" + f.taskId() + "/progress?limit=0"))
                .get("retries");
        assertThat(figures.toString()).isEqualTo("{\"failures\":{\"download\":300,\"install\":200,\"timeout\":100,\"rejected\":0},"
                + "\"retried\":{\"download\":200,\"install\":100,\"timeout\":0,\"rejected\":0},"
                + "\"exhausted\":{\"download\":100,\"install\":100,\"timeout\":100,\"rejected\":0}}");
    }

    @Test
    void retryWaitsDoubleAreStablePerDeviceAndSpreadOverTheFleet() {
        FleetHarness.Fleet f = fleet.fleet("retry", "\"retry\":2,\"retryWaitSeconds\":30");
        Map<String, Fails> devices = new TreeMap<>();
        devices(200).forEach((d, how) -> {
            if (how == Fails.DOWNLOADING) {
                devices.put(d, how);
            }
        });
        Seen seen = run(f, devices);

        devices.keySet().forEach(d -> {
            assertThat(seen.offers.get(d)).as(d).isEqualTo(3);
            List<Integer> w = seen.waits.get(d);
            // Told once after each of the first two failures: 30 s, then 60 s, each stretched by the same factor.
            assertThat(w).as(d).hasSize(2);
            assertThat(w.get(0)).isBetween(30, 36);
            assertThat(w.get(1)).isBetween(60, 72);
            assertThat(Math.abs(w.get(1) - 2 * w.get(0))).as("the same jitter both times").isLessThanOrEqualTo(1);
        });
        // Spread: the first waits fall over 31–36 s (whole seconds, rounded up); no two-second bucket holds more than
        // 45 % of the fleet (an even spread puts a third in each of the two middle ones; without jitter every device
        // would come back in the same second).
        Map<Integer, Long> buckets = new TreeMap<>();
        seen.waits.values().forEach(w -> buckets.merge(w.get(0) / 2, 1L, Long::sum));
        assertThat(buckets).hasSizeGreaterThanOrEqualTo(3);
        assertThat(buckets.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(devices.size() * 45L / 100));
    }

    @Test
    void withoutAPolicyTheRetryCountBoundsEveryKindTogetherAndThereIsNoWait() {
        FleetHarness.Fleet f = fleet.fleet("retry", "\"retry\":1");
        Map<String, Fails> devices = new TreeMap<>();
        devices(50).forEach((d, how) -> {
            if (how != Fails.SILENTLY) {
                devices.put(d, how);
            }
        });
        Seen seen = run(f, devices);
        devices.keySet().forEach(d -> assertThat(seen.offers.get(d)).as(d).isEqualTo(2));
        assertThat(seen.waits).isEmpty();
        // A device that stays silent is only reported timed out, as before: it is offered its task again.
        FleetHarness.Fleet g = fleet.fleet("retry", "\"retry\":1");
        DeviceCheckService via = fleet.at(0).checks();
        clock.set(START);
        assertThat(via.check(check(g, "quiet")).block()).isInstanceOf(CheckOutcome.Offer.class);
        fleet.at(0).progress().reportStep(g.pid(), "quiet", g.taskId(), 10, "").block();
        clock.set(START.plus(TIMEOUT).plusSeconds(60));
        assertThat(via.check(check(g, "quiet")).block()).isInstanceOf(CheckOutcome.Offer.class);
        assertThat(fleet.at(0).progress().taskProgress(g.pid(), "quiet", g.taskId()).block().timedOut()).isTrue();
    }
}
