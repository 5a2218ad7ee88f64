package io.otaedge.edge.file;

import io.netty.util.IllegalReferenceCountException;
import io.otaedge.common.blob.BlobStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps recently served blob files open for a few seconds, like nginx's {@code open_file_cache}:
 * a device fetching 1 KiB ranges would otherwise cost an {@code open} and a {@code stat} per
 * range. Safe because blobs are immutable and content-addressed; a blob deleted from disk is
 * served for at most the TTL more (its bytes are still the right ones). Bounded in entries;
 * the cache holds one reference per entry and releases it on expiry, eviction or close.
 */
public final class OpenBlobCache implements AutoCloseable {

    private final long ttlNanos;
    private final int maxEntries;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** A TTL of zero disables caching: every call opens the file. */
    public OpenBlobCache(java.time.Duration ttl, int maxEntries) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
    }

    /**
     * The open blob with this sha256 from {@code blobs}; the caller owns one reference and releases
     * it. The file's path is only worked out on a miss: resolving a {@code Path} per request was a
     * measurable share of a 1 KiB range's cost.
     */
    public BlobFile open(String sha256, BlobStore blobs) throws IOException {
        return open(sha256, null, blobs);
    }

    /** The open blob at {@code path}; the caller owns one reference and releases it. */
    public BlobFile open(String key, Path path) throws IOException {
        return open(key, path, null);
    }

    private BlobFile open(String key, Path knownPath, BlobStore blobs) throws IOException {
        if (ttlNanos <= 0) {
            return BlobFile.open(knownPath != null ? knownPath : blobs.pathOf(key));
        }
        long now = System.nanoTime();
        Entry e = entries.get(key);
        if (e != null) {
            if (now - e.expiresAt < 0) {
                try {
                    e.file.retain();
                    return e.file;
                } catch (IllegalReferenceCountException expiredMeanwhile) {
                    // another thread dropped it between get and retain: open afresh
                }
            } else {
                invalidate(key, e);
            }
        }
        BlobFile f = BlobFile.open(knownPath != null ? knownPath : blobs.pathOf(key));
        if (entries.size() < maxEntries) {
            f.retain();
            if (entries.putIfAbsent(key, new Entry(f, now + ttlNanos)) != null) {
                f.release();
            }
        } else {
            sweep(now);
        }
        return f;
    }

    /** Forgets a cached file, e.g. one found not to match its record. */
    public void invalidate(String key) {
        Entry e = entries.get(key);
        if (e != null) {
            invalidate(key, e);
        }
    }

    private void invalidate(String key, Entry e) {
        if (entries.remove(key, e)) {
            e.file.release();
        }
    }

    private void sweep(long now) {
        entries.forEach((k, e) -> {
            if (now - e.expiresAt >= 0) {
                invalidate(k, e);
            }
        });
    }

    @Override
    public void close() {
        entries.forEach(this::invalidate);
    }

    private record Entry(BlobFile file, long expiresAt) {
    }
}
