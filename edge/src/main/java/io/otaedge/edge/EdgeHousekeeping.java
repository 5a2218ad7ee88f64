package io.otaedge.edge;

import io.otaedge.common.fleet.EdgeRegistry;
import io.otaedge.edge.cell.CellSlots;
import io.otaedge.edge.fleet.EdgeHeartbeat;
import io.otaedge.edge.fleet.EdgeLoad;
import io.otaedge.edge.progress.ProgressRecorder;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's periodic fleet work, on one small thread of its own (the Redis calls are async): flushing served
 * bytes ({@link ProgressRecorder}), renewing the cell slots of running downloads ({@link CellSlots}) and, once the edge knows its public address, the heartbeat that keeps it in
 * the edge registry.
 */
final class EdgeHousekeeping {

    private static final Logger log = LoggerFactory.getLogger(EdgeServer.class);

    private final EdgeConfig config;
    private final ProgressRecorder progress;
    private final EdgeRegistry registry;
    private final EdgeLoad load;
    private final ScheduledExecutorService timer;
    private EdgeHeartbeat heartbeat;

    private EdgeHousekeeping(EdgeConfig config, ProgressRecorder progress, EdgeRegistry registry, EdgeLoad load,
                             CellSlots cells) {
        this.config = config;
        this.progress = progress;
        this.registry = registry;
        this.load = load;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ota-edge-housekeeping");
            t.setDaemon(true);
            return t;
        });
        long flush = config.progressFlush().toMillis();
        timer.scheduleWithFixedDelay(progress::flush, flush, flush, TimeUnit.MILLISECONDS);
        if (cells != null) {
            long renew = cells.cap().renewEvery().toMillis();
            timer.scheduleWithFixedDelay(cells::renew, renew, renew, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Starts flushing, renewing {@code cells} (null: cap off), and beating when {@code publicAddress} is known (else
     * at {@link #advertiseAs}).
     */
    static EdgeHousekeeping start(EdgeConfig config, ProgressRecorder progress, EdgeRegistry registry, EdgeLoad load,
                                  CellSlots cells, String publicAddress) {
        EdgeHousekeeping h = new EdgeHousekeeping(config, progress, registry, load, cells);
        if (publicAddress != null) {
            h.advertiseAs(publicAddress);
        }
        return h;
    }

    /** Starts the heartbeat under {@code address}, unless it beats already. */
    synchronized void advertiseAs(String address) {
        if (heartbeat != null) {
            return;
        }
        String id = config.edgeId() != null ? config.edgeId() : address + "-" + UUID.randomUUID().toString().substring(0, 8);
        heartbeat = new EdgeHeartbeat(registry, id, address, config.maxConnections(), load, config.heartbeat());
        heartbeat.start(timer);
    }

    /** Leaves the registry: devices must stop being sent here before the edge stops answering. */
    synchronized void stopHeartbeat() {
        if (heartbeat != null) {
            heartbeat.stop();
        }
    }

    /** Writes the last progress counts (the downloads have finished by now) and stops the timer. */
    void stop() {
        timer.shutdownNow();
        try {
            progress.flush().toCompletableFuture().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("the last download progress could not be written", e);
        }
    }
}
