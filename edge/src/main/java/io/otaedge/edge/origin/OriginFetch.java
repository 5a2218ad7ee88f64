package io.otaedge.edge.origin;

import io.otaedge.common.blob.BlobDigestMismatchException;
import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.blob.BlobWriter;
import io.otaedge.common.blob.InternalBlobApi;
import io.otaedge.edge.logging.LogThrottle;
import io.otaedge.edge.metrics.EdgeMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of a pull: one {@code GET <origin>/internal/v1/blobs/<sha256>} with the shared secret, its
 * body handed to a {@link BlobBodySubscriber}, the whole within {@code OTA_EDGE_ORIGIN_TIMEOUT}; each result
 * counted ({@code ota_edge_origin_pulls_total}) and a failure logged (throttled).
 */
final class OriginFetch {

    private static final Logger log = LoggerFactory.getLogger(OriginPull.class);
    /** An origin down fails every missing blob's pull: one line per interval, counted in the metrics. */
    static final LogThrottle FAILED_LOG = new LogThrottle(10, TimeUnit.SECONDS);

    private final OriginConfig config;
    private final BlobStore blobs;
    private final EdgeMetrics metrics;
    private final HttpClient http;

    /** @param pool where the JDK client runs its work and callbacks, never an event loop */
    OriginFetch(OriginConfig config, BlobStore blobs, EdgeMetrics metrics, Executor pool) {
        this.config = config;
        this.blobs = blobs;
        this.metrics = metrics;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(pool)
                .build();
    }

    /** Completes once the blob is stored intact; fails (an {@link OriginPullException}) when it is not. */
    CompletableFuture<Void> pull(String sha256, long size) {
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
                        ? new BlobBodySubscriber(writer, sha256, size)
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
}
