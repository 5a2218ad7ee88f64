package io.otaedge.loadtest.capacity;

import java.time.Duration;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Measures batches of one device operation each: a small first part under MONITOR, the rest
 * between two {@link RedisStats} snapshots, so the command counts per operation are exact and its
 * CPU is not the MONITOR's. Batches that serve bytes wait for the edge's progress flush, so its
 * Redis writes land in the batch that caused them.
 */
final class Measurement {

    private final RedisTopology redis;
    private final KeyShapes shapes;
    private final BatchRunner runner;
    private final int watch;
    private final Duration flushQuiet;
    private RedisStats.Delta background;

    Measurement(RedisTopology redis, KeyShapes shapes, BatchRunner runner, int watch, Duration flushQuiet) {
        this.redis = redis;
        this.shapes = shapes;
        this.runner = runner;
        this.watch = watch;
        this.flushQuiet = flushQuiet;
    }

    /**
     * What Redis does with no device calls for {@code window} (heartbeats, readiness PINGs, periodic
     * reads): kept as the background taken out of every later batch, and reported as a batch itself.
     */
    BatchResult idle(String name, Duration window) throws InterruptedException {
        try (MonitorTap tap = MonitorTap.start(redis, shapes)) {
            RedisStats before = RedisStats.take(redis);
            long tapped = tap.bytesReceived();
            Thread.sleep(window.toMillis()); // the window is the measurement: nothing to await
            RedisStats after = RedisStats.take(redis);
            long tappedAfter = tap.bytesReceived();
            RedisStats.Delta d = after.since(before).lessOutput(tappedAfter - tapped);
            Map<String, Long> tally = tap.drain();
            if (background == null) {
                background = d;
            }
            // "Per operation" of an idle window is per second.
            return new BatchResult(name, (int) Math.max(1, Math.round(d.seconds())), tally,
                    (int) Math.max(1, Math.round(d.seconds())), d, true);
        }
    }

    /** {@code op} for devices {@code from} to {@code to}; {@code serves}: it makes the edges serve bytes. */
    BatchResult batch(String name, int from, int to, boolean serves, IntConsumer op) throws InterruptedException {
        int watched = Math.min(watch, (to - from) / 2);
        Map<String, Long> tally;
        try (MonitorTap tap = MonitorTap.start(redis, shapes)) {
            RedisStats before = RedisStats.take(redis);
            runner.run(from, from + watched, op);
            if (serves) {
                awaitFlush(before, watched);
            }
            tally = tap.drain();
        }
        RedisStats before = RedisStats.take(redis);
        runner.run(from + watched, to, op);
        if (serves) {
            awaitFlush(before, to - from - watched);
        }
        RedisStats.Delta d = RedisStats.take(redis).since(before);
        return new BatchResult(name, watched, tally, to - from - watched, background == null ? d : d.less(background), false);
    }

    /**
     * Until the edge has written the batch's served bytes: at least one progress increment
     * (HINCRBY) per device since {@code before}, then none for a few flush periods (a device's
     * bytes may straddle two flushes). Polls INFO, which is left out of the counts.
     */
    private void awaitFlush(RedisStats before, int devices) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long seen = -1;
        long changedAt = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long n = RedisStats.take(redis).since(before).calls().getOrDefault("hincrby", 0L);
            if (n != seen) {
                seen = n;
                changedAt = System.nanoTime();
            } else if (n >= devices && System.nanoTime() - changedAt >= flushQuiet.toNanos()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the edge wrote progress for " + seen + " of " + devices
                + " devices within 60 s (is OTA_EDGE_PROGRESS_FLUSH longer than the probe's flush wait?)");
    }
}
