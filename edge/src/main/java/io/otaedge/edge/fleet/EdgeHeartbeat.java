package io.otaedge.edge.fleet;

import io.otaedge.common.fleet.EdgeRegistry;
import io.otaedge.common.fleet.EdgeStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this edge in the edge registry: a heartbeat every period with its public address and load,
 * living for {@link #TTL_PERIODS} periods, so the control service stops handing out an edge a few
 * seconds after it dies. A graceful stop removes the entry at once.
 */
public final class EdgeHeartbeat {

    private static final Logger log = LoggerFactory.getLogger(EdgeHeartbeat.class);
    /** A heartbeat outlives this many periods: one or two lost beats do not drop a live edge. */
    public static final int TTL_PERIODS = 3;

    private final EdgeRegistry registry;
    private final String id;
    private final String address;
    private final int maxConnections;
    private final EdgeLoad load;
    private final Duration period;
    private ScheduledFuture<?> task;
    private long lastBytes;
    private long lastAt;
    private boolean failing;

    public EdgeHeartbeat(EdgeRegistry registry, String id, String address, int maxConnections, EdgeLoad load,
                         Duration period) {
        this.registry = registry;
        this.id = id;
        this.address = address;
        this.maxConnections = maxConnections;
        this.load = load;
        this.period = period;
    }

    public synchronized void start(ScheduledExecutorService timer) {
        lastAt = System.nanoTime();
        lastBytes = load.bytesServed();
        task = timer.scheduleAtFixedRate(this::beat, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        log.info("edge {} registering as {} every {}", id, address, period);
    }

    synchronized void beat() {
        long now = System.nanoTime();
        long bytes = load.bytesServed();
        long elapsedMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(now - lastAt));
        long rate = (bytes - lastBytes) * 1000 / elapsedMs;
        lastAt = now;
        lastBytes = bytes;
        EdgeStatus status = new EdgeStatus(id, address, load.openConnections(), maxConnections, rate,
                System.currentTimeMillis());
        CompletionStage<Void> beat;
        try {
            beat = registry.beat(status, period.multipliedBy(TTL_PERIODS));
        } catch (RuntimeException e) {
            // Thrown, not failed: still must not end the schedule (a throwing periodic task never runs again).
            beat = CompletableFuture.failedFuture(e);
        }
        beat.whenComplete((ok, error) -> {
            synchronized (this) {
                if (error != null && !failing) {
                    // Logged once per outage (the next line says when it is back), so whole.
                    log.warn("edge heartbeat failed (will keep trying)", error);
                } else if (error == null && failing) {
                    log.info("edge heartbeat back");
                }
                failing = error != null;
            }
        });
    }

    /** Stops beating and takes the edge out of the registry, waiting briefly for Redis. */
    public synchronized void stop() {
        if (task == null) {
            return;
        }
        task.cancel(false);
        task = null;
        try {
            registry.remove(id).toCompletableFuture().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("could not deregister edge {} (its entry expires by itself)", id, e);
        }
    }

    public String id() {
        return id;
    }
}
