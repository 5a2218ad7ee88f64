package io.otaedge.edge.origin;

import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.blob.BlobDigestMismatchException;
import io.otaedge.common.blob.BlobWriter;
import io.otaedge.common.blob.InternalBlobApi;
import io.otaedge.edge.logging.LogThrottle;
import io.otaedge.edge.metrics.EdgeMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches blobs this edge does not have from the control service's internal blob endpoint
 * ({@code GET <origin>/internal/v1/blobs/<sha256>} with the shared secret), hashing the bytes as they
 * stream into a temp file and publishing the file only when its sha256 is the one asked for. Bytes
 * that hash to anything else are deleted: never stored, never served.
 *
 * <p>Concurrent requests for one missing blob share one pull. The HTTP client is the JDK's
 * asynchronous one; it and the file writes run on this class's own small pool, never on an event
 * loop. The whole pull must finish within {@code OTA_EDGE_ORIGIN_TIMEOUT}.
 */
public final class OriginPull implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OriginPull.class);
    /** An origin down fails every missing blob's pull: one line per interval, counted in the metrics. */
    private static final LogThrottle FAILED_LOG = new LogThrottle(10, TimeUnit.SECONDS);

    private final OriginConfig config;
    private final BlobStore blobs;
    private final ExecutorService pool;
    private final HttpClient http;
    private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong pulls = new AtomicLong();
    private final AtomicInteger waiting = new AtomicInteger();
    private final EdgeMetrics metrics;

    public OriginPull(OriginConfig config, BlobStore blobs) {
        this(config, blobs, EdgeMetrics.unregistered());
    }

    /** @param metrics counts each pull by result ({@code ota_edge_origin_pulls_total}) */
    public OriginPull(OriginConfig config, BlobStore blobs, EdgeMetrics metrics) {
        this.config = config;
        this.blobs = blobs;
        this.metrics = metrics;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ota-edge-origin-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(pool)
                .build();
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
                pull(sha256, size).whenComplete((ok, error) -> settle(sha256, mine, error));
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
        if (FAILED_LOG.allow()) {
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

    private CompletableFuture<Void> pull(String sha256, long size) {
        pulls.incrementAndGet();
        long started = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.url() + InternalBlobApi.path(sha256)))
                .header(InternalBlobApi.SECRET_HEADER, config.secret())
                .timeout(config.timeout())
                .GET()
                .build();
        BlobWriter writer = blobs.newWriter(size);
        try {
            return send(request, writer, sha256, size, started);
        } catch (RuntimeException e) {
            writer.abort();
            throw e;
        }
    }

    private CompletableFuture<Void> send(HttpRequest request, BlobWriter writer, String sha256, long size, long started) {
        return http.sendAsync(request, response -> response.statusCode() == 200
                        ? new ToBlob(writer, sha256, size)
                        : HttpResponse.BodySubscribers.replacing(null))
                .orTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    if (error != null || response.statusCode() != 200) {
                        writer.abort();
                        metrics.originPull(isDigestMismatch(error)
                                ? EdgeMetrics.OriginPull.HASH_MISMATCH : EdgeMetrics.OriginPull.ERROR);
                        String why = error != null ? error.toString() : "HTTP " + response.statusCode();
                        if (FAILED_LOG.allow()) {
                            if (error != null) {
                                log.warn("origin pull of blob {} failed", sha256, error);
                            } else {
                                log.warn("origin pull of blob {} failed: {}", sha256, why);
                            }
                        }
                        throw new OriginPullException("origin pull of " + sha256 + " failed: " + why, error);
                    }
                    metrics.originPull(EdgeMetrics.OriginPull.OK);
                    log.info("pulled blob {} ({} bytes) from the origin in {} ms", sha256, size,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                    return null;
                });
    }

    private static boolean isDigestMismatch(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof BlobDigestMismatchException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** Streams the body into a blob writer and publishes it only when size and sha256 match. */
    private static final class ToBlob implements HttpResponse.BodySubscriber<Void> {
        private final BlobWriter writer;
        private final String sha256;
        private final long size;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private Flow.Subscription subscription;

        ToBlob(BlobWriter writer, String sha256, long size) {
            this.writer = writer;
            this.sha256 = sha256;
            this.size = size;
        }

        @Override
        public CompletionStage<Void> getBody() {
            return done;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            try {
                for (ByteBuffer b : items) {
                    writer.write(b);
                }
                subscription.request(1);
            } catch (IOException e) {
                subscription.cancel();
                fail(e);
            }
        }

        @Override
        public void onError(Throwable t) {
            fail(t);
        }

        @Override
        public void onComplete() {
            try {
                if (writer.size() != size) {
                    throw new IOException("the origin sent " + writer.size() + " bytes, expected " + size);
                }
                writer.commitVerified(sha256);
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        private void fail(Throwable t) {
            writer.abort();
            done.completeExceptionally(t);
        }
    }

    /** The origin could not deliver a blob intact. */
    public static final class OriginPullException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OriginPullException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
