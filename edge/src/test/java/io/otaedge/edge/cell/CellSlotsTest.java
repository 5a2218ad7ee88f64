package io.otaedge.edge.cell;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.otaedge.common.redis.LocalRedisServer;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.redis.TestRedis;
import io.otaedge.common.testing.Await;
import io.otaedge.edge.metrics.EdgeMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared slot count of a cell, against a real Redis: the cap, one slot per download whatever its requests, a
 * parked slot kept for its download until its lease ends, release, a finished download's tail, one pool per signal
 * band, expiry of a dead edge's slots, fail-open.
 */
class CellSlotsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final String cell = "c" + UUID.randomUUID().toString().replace("-", "");

    private static CellSlots slots(String edge, int cap, Duration lease, EdgeMetrics metrics) {
        return new CellSlots(TestRedis.connector().async(), new CellCap(cap, lease), metrics);
    }

    /** A request of a new download. */
    private static CellSlots.Lease acquire(CellSlots s, String cell) {
        return acquire(s, cell, "ota_" + UUID.randomUUID());
    }

    private static CellSlots.Lease acquire(CellSlots s, String cell, String download) {
        return s.acquire(cell, download).toCompletableFuture().join();
    }

    @Test
    void aDownloadHoldsOneSlotWhateverNumberOfRequestsItMakes() {
        CellSlots s = slots("e1", 1, Duration.ofMinutes(1), EdgeMetrics.unregistered());
        CellSlots.Lease first = acquire(s, cell, "ota_device1");
        assertThat(first).isNotNull();
        assertThat(acquire(s, cell, "ota_device1")).as("the same download's second request").isNotNull();
        assertThat(acquire(s, cell, "ota_device2")).as("another download in the full cell").isNull();
    }

    @Test
    void aParkedSlotStaysTakenForItsDownloadAndFreesItselfAfterTheLease() {
        CellSlots s = slots("e1", 1, Duration.ofMillis(800), EdgeMetrics.unregistered());
        acquire(s, cell, "ota_device1").park(); // a range answered, more to come
        assertThat(s.held()).as("a parked slot is not renewed by this edge").isZero();
        assertThat(acquire(s, cell, "ota_device2")).as("a newcomer while the slot is parked").isNull();
        CellSlots.Lease resumed = acquire(s, cell, "ota_device1");
        assertThat(resumed).as("the download's next request gets its slot back").isNotNull();
        resumed.park();
        CellSlots.Lease got = Await.until(WAIT, () -> acquire(s, cell, "ota_device2"), l -> l != null,
                "the quiet download's slot expiring");
        assertThat(got).isNotSameAs(CellSlots.Lease.UNCHECKED);
    }

    @Test
    void theCapRefusesTheThirdOfTwoSlotsAndAReleaseLetsTheNextIn() {
        EdgeMetrics metrics = new EdgeMetrics(new SimpleMeterRegistry());
        CellSlots s = slots("e1", 2, Duration.ofMinutes(1), metrics);
        CellSlots.Lease a = acquire(s, cell);
        CellSlots.Lease b = acquire(s, cell);
        assertThat(a).isNotNull().isNotSameAs(CellSlots.Lease.UNCHECKED);
        assertThat(b).isNotNull().isNotSameAs(CellSlots.Lease.UNCHECKED);
        assertThat(acquire(s, cell)).isNull();
        assertThat(s.held()).isEqualTo(2);
        assertThat(refusals(metrics, "poor")).isEqualTo(1);
        assertThat(metrics.registry().get("ota.edge.cell.slots.held").gauge().value()).isEqualTo(2);

        a.release();
        a.release(); // once only
        // ZREM is on its way: the next acquire on the same connection runs after it.
        assertThat(acquire(s, cell)).isNotNull();
        assertThat(acquire(s, cell)).isNull();
        assertThat(acquire(s, "other" + cell)).as("another cell has its own slots").isNotNull();
    }

    @Test
    void aDeadEdgesSlotsFreeThemselvesAfterTheLease() {
        EdgeMetrics metrics = EdgeMetrics.unregistered();
        // "dead": holds both slots, never renews, never releases
        CellSlots dead = slots("dead", 2, Duration.ofMillis(600), metrics);
        CellSlots alive = slots("alive", 2, Duration.ofMinutes(1), EdgeMetrics.unregistered());
        assertThat(acquire(dead, cell)).isNotNull();
        assertThat(acquire(dead, cell)).isNotNull();
        assertThat(acquire(alive, cell)).isNull();
        CellSlots.Lease got = Await.until(WAIT, () -> acquire(alive, cell), l -> l != null, "the dead edge's slots expiring");
        assertThat(got).isNotSameAs(CellSlots.Lease.UNCHECKED);
    }

    @Test
    void renewedSlotsOutliveTheirLease() {
        CellSlots edge = slots("e1", 1, Duration.ofMillis(300), EdgeMetrics.unregistered());
        CellSlots other = slots("e2", 1, Duration.ofMinutes(1), EdgeMetrics.unregistered());
        assertThat(acquire(edge, cell)).isNotNull();
        long end = System.nanoTime() + Duration.ofMillis(1500).toNanos();
        while (System.nanoTime() < end) {
            edge.renew(); // what the housekeeping does every lease / 3; sent before the check on the one connection
            assertThat(acquire(other, cell)).as("the renewed slot is still taken").isNull();
        }
    }

    @Test
    void redisOutOfReachFailsOpenAndIsCounted() throws Exception {
        LocalRedisServer redis = LocalRedisServer.start(dir.resolve("redis"));
        RedisConnector connector = RedisConnector.connect(redis.uri(), Duration.ofMillis(500));
        EdgeMetrics metrics = new EdgeMetrics(new SimpleMeterRegistry());
        try {
            CellSlots s = new CellSlots(connector.async(), new CellCap(1, Duration.ofMinutes(1)), metrics);
            assertThat(acquire(s, cell)).isNotNull().isNotSameAs(CellSlots.Lease.UNCHECKED);
            redis.close();
            assertThat(acquire(s, cell)).isSameAs(CellSlots.Lease.UNCHECKED);
            CellSlots.Lease.UNCHECKED.release(); // nothing to give back
            assertThat(metrics.registry().get("ota.edge.cell.unchecked").counter().count()).isEqualTo(1);
            assertThat(refusals(metrics, "poor")).isZero();
        } finally {
            connector.close();
            redis.close();
        }
    }

    @Test
    void aFinishedDownloadKeepsItsSlotForTheTailOnlyAndCanResumeMeanwhile() {
        CellSlots s = new CellSlots(TestRedis.connector().async(),
                new CellCap(1, Map.of(), Duration.ofMinutes(1), Duration.ofMillis(1500), SignalBands.DEFAULT),
                EdgeMetrics.unregistered());
        acquire(s, cell, "ota_device1").finish(); // the answer carrying the last byte was written
        assertThat(acquire(s, cell, "ota_device2")).as("a newcomer within the tail").isNull();
        CellSlots.Lease resumed = acquire(s, cell, "ota_device1");
        assertThat(resumed).as("the download resuming its last range within the tail").isNotNull();
        resumed.finish();
        resumed.finish(); // once only
        CellSlots.Lease got = Await.until(WAIT, () -> acquire(s, cell, "ota_device2"), l -> l != null, "the tail running out");
        assertThat(got).isNotSameAs(CellSlots.Lease.UNCHECKED);
    }

    @Test
    void eachBandOfACellIsAPoolOfItsOwnWithItsOwnCap() {
        EdgeMetrics metrics = new EdgeMetrics(new SimpleMeterRegistry());
        CellSlots s = new CellSlots(TestRedis.connector().async(), new CellCap(0,
                Map.of(SignalBand.GOOD, 2, SignalBand.MEDIUM, 1, SignalBand.POOR, 1), Duration.ofMinutes(1),
                Duration.ofSeconds(10), SignalBands.DEFAULT), metrics);
        assertThat(s.acquire(cell, SignalBand.GOOD, "ota_g1").toCompletableFuture().join()).isNotNull();
        assertThat(s.acquire(cell, SignalBand.GOOD, "ota_g2").toCompletableFuture().join()).isNotNull();
        assertThat(s.acquire(cell, SignalBand.GOOD, "ota_g3").toCompletableFuture().join()).as("good pool full").isNull();
        assertThat(s.acquire(cell, SignalBand.POOR, "ota_p1").toCompletableFuture().join()).as("poor pool apart").isNotNull();
        assertThat(s.acquire(cell, SignalBand.POOR, "ota_p2").toCompletableFuture().join()).isNull();
        assertThat(s.acquire(cell, SignalBand.MEDIUM, "ota_m1").toCompletableFuture().join()).isNotNull();
        assertThat(refusals(metrics, "good")).isEqualTo(1);
        assertThat(refusals(metrics, "poor")).isEqualTo(1);
        assertThat(refusals(metrics, "medium")).isZero();
    }

    private static double refusals(EdgeMetrics metrics, String band) {
        return metrics.registry().get("ota.edge.cell.refusals").tag("band", band).counter().count();
    }
}
