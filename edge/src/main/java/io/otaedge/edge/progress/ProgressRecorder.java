package io.otaedge.edge.progress;

import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.progress.DownloadProgressStore.Increment;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.edge.logging.LogThrottle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the bytes served per token in memory and writes them to Redis in batches: one call per
 * task and device bucket touched per {@link #flush()} (all sent at once), however many requests were
 * served meanwhile. A device fetching
 * 1 KiB ranges costs a map lookup per range, never a Redis round trip. A flush that fails puts
 * its counts back, so they go out with the next one.
 */
public final class ProgressRecorder {

    private static final Logger log = LoggerFactory.getLogger(ProgressRecorder.class);
    /** A Redis outage fails every task's write at every flush: one line per interval is enough. */
    private static final LogThrottle FAILED_LOG = new LogThrottle(30, TimeUnit.SECONDS);
    /** Flushes a token may stay without traffic before its counter is dropped from memory. */
    private static final int IDLE_FLUSHES = 3;

    private final DownloadProgressStore store;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final AtomicLong writes = new AtomicLong();

    public ProgressRecorder(DownloadProgressStore store) {
        this.store = store;
    }

    /** Bytes served to the holder of {@code grant}, up to offset {@code end} (exclusive). */
    public void record(TokenGrant grant, long bytes, long end) {
        if (bytes <= 0 || grant.taskId() == null || grant.deviceId() == null || grant.productId() == null) {
            return;
        }
        record(grant.token(), grant.productId(), grant.taskId(), grant.deviceId(), bytes, end);
    }

    private void record(String token, String productId, String taskId, String deviceId, long bytes, long end) {
        while (true) {
            Counter c = counters.get(token);
            if (c == null) {
                c = counters.computeIfAbsent(token, t -> new Counter(productId, taskId, deviceId));
            }
            if (c.add(bytes, end)) {
                return;
            }
            // Retired by a flush between our lookup and our add: it is gone from the map, retry.
            counters.remove(token, c);
        }
    }

    /** Redis calls made by flushes so far. */
    public long writes() {
        return writes.get();
    }

    /** Writes everything counted since the last flush; completes when Redis has it (or failed). */
    public synchronized CompletionStage<Void> flush() {
        Map<List<String>, List<Drained>> byTask = new HashMap<>();
        counters.forEach((token, c) -> {
            Drained d = c.drain(token);
            if (d != null) {
                // One batch per task and device bucket: each is one script call in one slot.
                byTask.computeIfAbsent(List.of(c.productId, c.taskId, c.bucket), k -> new ArrayList<>()).add(d);
            } else if (c.retireIfIdle()) {
                counters.remove(token, c);
            }
        });
        List<CompletableFuture<?>> sent = new ArrayList<>(byTask.size());
        byTask.forEach((task, batch) -> {
            List<Increment> incs = new ArrayList<>(batch.size());
            batch.forEach(d -> incs.add(new Increment(d.counter.deviceId, d.bytes, d.end)));
            writes.incrementAndGet();
            CompletionStage<Long> write;
            try {
                write = store.add(task.get(0), task.get(1), incs);
            } catch (RuntimeException e) {
                write = CompletableFuture.failedFuture(e);
            }
            sent.add(write.whenComplete((n, error) -> {
                if (error != null) {
                    if (FAILED_LOG.allow()) {
                        log.warn("download progress for task {} not written, keeping it for the next flush",
                                task.get(1), error);
                    }
                    batch.forEach(d -> record(d.token, d.counter.productId, d.counter.taskId, d.counter.deviceId,
                            d.bytes, d.end));
                }
            }).toCompletableFuture());
        });
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).exceptionally(e -> null);
    }

    private record Drained(String token, Counter counter, long bytes, long end) {
    }

    /** One token's counts since the last flush. Guarded by its own monitor, which is uncontended in practice. */
    private static final class Counter {
        final String productId;
        final String taskId;
        final String deviceId;
        final String bucket;
        private long bytes;
        private long end;
        private int idle;
        private boolean retired;

        Counter(String productId, String taskId, String deviceId) {
            this.productId = productId;
            this.taskId = taskId;
            this.deviceId = deviceId;
            this.bucket = Integer.toString(RedisKeys.bucket(deviceId));
        }

        synchronized boolean add(long n, long upTo) {
            if (retired) {
                return false;
            }
            bytes += n;
            end = Math.max(end, upTo);
            return true;
        }

        synchronized Drained drain(String token) {
            if (bytes == 0) {
                return null;
            }
            Drained d = new Drained(token, this, bytes, end);
            bytes = 0;
            end = 0;
            idle = 0;
            return d;
        }

        synchronized boolean retireIfIdle() {
            if (++idle >= IDLE_FLUSHES) {
                retired = true;
            }
            return retired;
        }
    }
}
