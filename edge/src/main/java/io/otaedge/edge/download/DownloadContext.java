package io.otaedge.edge.download;

import io.otaedge.common.blob.BlobStore;
import io.otaedge.edge.file.OpenBlobCache;
import io.otaedge.edge.metrics.EdgeMetrics;
import io.otaedge.edge.origin.OriginPull;
import io.otaedge.edge.luatos.LuatosDecisions;
import io.otaedge.edge.token.TokenResolver;
import io.otaedge.edge.route.DeviceApi;

/**
 * What every connection's handlers share: the token resolver, the blob store and the few
 * settings the protocol code needs. One instance per server; immutable.
 */
public final class DownloadContext {

    private final TokenResolver tokens;
    private final BlobStore blobs;
    private final OpenBlobCache files;
    private final long retryAfterSeconds;
    private final int maxRanges;
    private final EdgeMetrics metrics;
    private final ServedBytesListener served;
    private final OriginPull origin;
    private final boolean chunkedBodies;
    private final LuatosDecisions luatos;
    private final String luatosPath;
    private final DeviceApi deviceApi;

    public DownloadContext(TokenResolver tokens, BlobStore blobs, OpenBlobCache files, long retryAfterSeconds,
                           int maxRanges) {
        this(tokens, blobs, files, retryAfterSeconds, maxRanges, EdgeMetrics.unregistered(), ServedBytesListener.NONE,
                null, false, null, null);
    }

    /**
     * @param metrics       the edge's product meters
     * @param served        told of every body written completely
     * @param origin        pulls blobs missing on local disk; null = off
     * @param chunkedBodies true with TLS: bodies as read chunks instead of sendfile regions
     * @param luatos        decides LuatOS' one-call upgrades at {@code luatosPath}; null = that route is off
     */
    public DownloadContext(TokenResolver tokens, BlobStore blobs, OpenBlobCache files, long retryAfterSeconds,
                           int maxRanges, EdgeMetrics metrics, ServedBytesListener served, OriginPull origin,
                           boolean chunkedBodies, LuatosDecisions luatos, String luatosPath) {
        this(tokens, blobs, files, retryAfterSeconds, maxRanges, metrics, served, origin, chunkedBodies, luatos,
                luatosPath, null);
    }

    private DownloadContext(TokenResolver tokens, BlobStore blobs, OpenBlobCache files, long retryAfterSeconds,
                            int maxRanges, EdgeMetrics metrics, ServedBytesListener served, OriginPull origin,
                            boolean chunkedBodies, LuatosDecisions luatos, String luatosPath, DeviceApi deviceApi) {
        this.deviceApi = deviceApi;
        this.metrics = metrics;
        this.chunkedBodies = chunkedBodies;
        this.served = served;
        this.origin = origin;
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

    /** The edge's product meters. */
    public EdgeMetrics metrics() {
        return metrics;
    }

    /** Told of every body written completely (progress, load). */
    public ServedBytesListener served() {
        return served;
    }

    /** Pulls blobs missing on local disk; null when origin-pull is off. */
    public OriginPull origin() {
        return origin;
    }

    /** True with TLS: bodies go out as read chunks, since sendfile cannot encrypt. */
    public boolean chunkedBodies() {
        return chunkedBodies;
    }

    /** LuatOS' decisions, or null when that route is off. */
    public LuatosDecisions luatos() {
        return luatos;
    }

    public String luatosPath() {
        return luatosPath;
    }

    /** This context with OneNET's device-API paths answered by {@code api} (null = those paths are 404). */
    public DownloadContext withDeviceApi(DeviceApi api) {
        return new DownloadContext(tokens, blobs, files, retryAfterSeconds, maxRanges, metrics, served, origin,
                chunkedBodies, luatos, luatosPath, api);
    }

    /** The device API the edge fronts, or null when it fronts none. */
    public DeviceApi deviceApi() {
        return deviceApi;
    }
}
