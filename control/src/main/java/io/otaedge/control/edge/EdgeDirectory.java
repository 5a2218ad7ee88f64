package io.otaedge.control.edge;

import io.otaedge.control.limits.ThrottledLog;
import io.otaedge.common.fleet.EdgeRegistry;
import io.otaedge.common.fleet.EdgeStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Which edge a device is sent to: a live, least-loaded one from the edge registry, or the configured
 * {@code OTA_EDGE_PUBLIC_ADDRESS} when no edge is registered (or the registry cannot be read). The
 * registry is read at most once per refresh period, whatever the rate of checks; concurrent checks
 * during a refresh share one read. Between refreshes, every address handed out counts as one more
 * connection on that edge, so a burst of checks spreads over the fleet instead of piling onto the
 * edge that looked idlest at the last read.
 */
public final class EdgeDirectory {

    private static final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(EdgeDirectory.class), ThrottledLog.INTERVAL);

    private final EdgeRegistry registry;
    private final String fallback;
    private final long refreshNanos;
    private final AtomicReference<Cached> current = new AtomicReference<>();

    public EdgeDirectory(EdgeRegistry registry, String fallback, Duration refresh) {
        this.registry = registry;
        this.fallback = fallback;
        this.refreshNanos = refresh.toNanos();
    }

    /** A directory that always answers one address (no registry). */
    public static EdgeDirectory fixed(String address) {
        EdgeDirectory d = new EdgeDirectory(null, address, Duration.ofDays(365_000));
        d.current.set(new Cached(Mono.just(new Snapshot(List.of())), System.nanoTime() + d.refreshNanos));
        return d;
    }

    /** The {@code host:port} to hand the next device. */
    public Mono<String> pick() {
        return snapshot().map(s -> s.pick(fallback));
    }

    /**
     * The download URL of a token on the edge picked for this device: {@code http://<edge>/ota/download/<token>},
     * for the dialects that hand devices a whole URL (FOG, xiaozhi, Aliyun).
     */
    public Mono<String> downloadUrl(String token) {
        return pick().map(edge -> "http://" + edge + "/ota/download/" + token);
    }

    /** The current view, starting one shared registry read when it is older than the refresh period. */
    private Mono<Snapshot> snapshot() {
        long now = System.nanoTime();
        Cached c = current.get();
        if (c == null || now - c.expiresAt >= 0) {
            // No timers: the read is cached by Mono.cache() and replaced on the first call past its age.
            Cached fresh = new Cached(read().cache(), now + refreshNanos);
            c = current.compareAndSet(c, fresh) ? fresh : current.get();
        }
        return c.snapshot;
    }

    private Mono<Snapshot> read() {
        return Mono.defer(() -> Mono.fromCompletionStage(registry.live()))
                .onErrorResume(e -> {
                    log.warning("registry", "edge registry unreadable, sending devices to " + fallback, e);
                    return Mono.just(List.of());
                })
                .map(Snapshot::new);
    }

    private record Cached(Mono<Snapshot> snapshot, long expiresAt) {
    }

    /** The edges of one registry read, with what was handed out since. */
    private static final class Snapshot {
        private final List<EdgeStatus> edges;
        private final AtomicIntegerArray handedOut;

        Snapshot(List<EdgeStatus> edges) {
            this.edges = edges;
            this.handedOut = new AtomicIntegerArray(edges.size());
        }

        String pick(String fallback) {
            int best = -1;
            double bestLoad = Double.MAX_VALUE;
            for (int i = 0; i < edges.size(); i++) {
                EdgeStatus e = edges.get(i);
                double load = loadOf(e, handedOut.get(i));
                if (best < 0 || load < bestLoad || (load == bestLoad && e.bytesPerSecond() < edges.get(best).bytesPerSecond())) {
                    best = i;
                    bestLoad = load;
                }
            }
            if (best < 0) {
                return fallback;
            }
            handedOut.incrementAndGet(best);
            return edges.get(best).address();
        }

        private static double loadOf(EdgeStatus e, int handed) {
            int connections = e.connections() + handed;
            return e.maxConnections() <= 0 ? connections : (double) connections / e.maxConnections();
        }
    }
}
