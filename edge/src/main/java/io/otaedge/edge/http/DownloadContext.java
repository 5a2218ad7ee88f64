package io.otaedge.edge.http;

import io.otaedge.common.blob.BlobStore;
import io.otaedge.edge.file.OpenBlobCache;
import io.otaedge.edge.luatos.LuatosDecisions;
import io.otaedge.edge.token.TokenResolver;

/**
 * What every connection's handlers share: the token resolver, the blob store and the few
 * settings the protocol code needs. One instance per server; immutable apart from the drain flag.
 */
public final class DownloadContext {

    private final TokenResolver tokens;
    private final BlobStore blobs;
    private final OpenBlobCache files;
    private final long retryAfterSeconds;
    private final int maxRanges;
    private final LuatosDecisions luatos;
    private final String luatosPath;
    private volatile boolean draining;

    public DownloadContext(TokenResolver tokens, BlobStore blobs, OpenBlobCache files, long retryAfterSeconds,
                           int maxRanges) {
        this(tokens, blobs, files, retryAfterSeconds, maxRanges, null, null);
    }

    /** With LuatOS' route: {@code luatos} decides, {@code luatosPath} is where devices ask (both null = off). */
    public DownloadContext(TokenResolver tokens, BlobStore blobs, OpenBlobCache files, long retryAfterSeconds,
                           int maxRanges, LuatosDecisions luatos, String luatosPath) {
        this.luatos = luatos;
        this.luatosPath = luatos == null ? null : luatosPath;
        this.tokens = tokens;
        this.blobs = blobs;
        this.files = files;
        this.retryAfterSeconds = retryAfterSeconds;
        this.maxRanges = maxRanges;
    }

    public TokenResolver tokens() {
        return tokens;
    }

    public BlobStore blobs() {
        return blobs;
    }

    /** Opens blobs, keeping recently used ones open for a moment. */
    public OpenBlobCache files() {
        return files;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Most ranges served as one multipart answer, after coalescing. */
    public int maxRanges() {
        return maxRanges;
    }

    /** LuatOS' decisions, or null when that route is off. */
    public LuatosDecisions luatos() {
        return luatos;
    }

    public String luatosPath() {
        return luatosPath;
    }

    /** Set when the server is shutting down: responses then close their connection. */
    public boolean draining() {
        return draining;
    }

    public void startDraining() {
        draining = true;
    }
}
