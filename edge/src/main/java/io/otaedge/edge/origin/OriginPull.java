package io.otaedge.edge.origin;

import io.otaedge.common.blob.BlobStore;
import io.otaedge.edge.metrics.EdgeMetrics;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches blobs this edge does not have from the control service's internal blob endpoint
 * ({@link OriginFetch}), hashing the bytes as they stream into a temp file and publishing the file only
 * when its sha256 is the one asked for ({@link BlobBodySubscriber}). Bytes that hash to anything else are
 * deleted: never stored, never served.
 *
 * <p>This class makes concurrent requests for one missing blob share one pull, and counts who waits. The
 * HTTP client is the JDK's asynchronous one; it and the file writes run on this class's own small pool,
 * never on an event loop. The whole pull must finish within {@code OTA_EDGE_ORIGIN_TIMEOUT}.
 */
public final class OriginPull implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OriginPull.class);

    private final BlobStore blobs;
    private final ExecutorService pool;
    private final OriginFetch origin;
    private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong pulls = new AtomicLong();
    private final AtomicInteger waiting = new AtomicInteger();
    private final EdgeMetrics metrics;

    public OriginPull(OriginConfig config, BlobStore blobs) {
        this(config, blobs, EdgeMetrics.unregistered());
    }

    /** @param metrics counts each pull by result ({@code ota_edge_origin_pulls_total}) */
    public OriginPull(OriginConfig config, BlobStore blobs, EdgeMetrics metrics) {
        this.blobs = blobs;
        this.metrics = metrics;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ota-edge-origin-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.origin = new OriginFetch(config, blobs, metrics, pool);
    }

    /**
     * Completes once the blob is on local disk with the right content: at once when it already is,
     * else after a pull (joining one in progress). Fails when the origin cannot deliver it intact.
     */
    public CompletionStage<Void> fetch(String sha256, long size) {
        waiting.incrementAndGet();
        return join(sha256, size).whenComplete((ok, error) -> waiting.decrementAndGet());
    }

    private CompletableFuture<Void> join(String sha256, long size) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = inFlight.putIfAbsent(sha256, mine);
        if (running != null) {
            return running;
        }
        try {
            CompletableFuture.runAsync(() -> {
                if (blobs.contains(sha256)) {
                    // Pulled by a request that finished between our miss and now.
                    settle(sha256, mine, null);
                    return;
                }
                pulls.incrementAndGet();
                origin.pull(sha256, size).whenComplete((ok, error) -> settle(sha256, mine, error));
            }, pool).whenComplete((ok, thrown) -> {
                if (thrown != null) {
                    // The pull could not even start (no temp file for it, say): its waiters must hear, or they
                    // and every later request for this blob would wait on it forever.
                    notStarted(sha256, mine, thrown);
                }
            });
        } catch (RejectedExecutionException closed) {
            notStarted(sha256, mine, closed);
        }
        return mine;
    }

    private void notStarted(String sha256, CompletableFuture<Void> mine, Throwable thrown) {
        metrics.originPull(EdgeMetrics.OriginPull.ERROR);
        if (OriginFetch.FAILED_LOG.allow()) {
            log.warn("origin pull of blob {} could not start", sha256, thrown);
        }
        settle(sha256, mine, new OriginPullException("origin pull of " + sha256 + " could not start", thrown));
    }

    /**
     * Forgets the pull, then completes it. In that order: completing first would let a waiting
     * request answer (say, a 503) and the device retry before the entry is gone, and the retry
     * would join the finished, failed pull instead of starting a new one.
     */
    private void settle(String sha256, CompletableFuture<Void> mine, Throwable error) {
        inFlight.remove(sha256, mine);
        if (error == null) {
            mine.complete(null);
        } else {
            mine.completeExceptionally(error);
        }
    }

    /** Requests waiting for a pull right now. */
    public int waiting() {
        return waiting.get();
    }

    /** Pulls started from the origin so far. */
    public long pulls() {
        return pulls.get();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
