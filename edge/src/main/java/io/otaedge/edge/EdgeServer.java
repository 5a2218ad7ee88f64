package io.otaedge.edge;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.netty.handler.ssl.SslContext;
import io.otaedge.common.fleet.EdgeRegistry;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.edge.cell.CellSlots;
import io.otaedge.edge.file.OpenBlobCache;
import io.otaedge.edge.fleet.EdgeLoad;
import io.otaedge.edge.download.DownloadContext;
import io.otaedge.edge.grant.GrantSource;
import io.otaedge.edge.grant.GrantedBlobs;
import io.otaedge.edge.grant.LuatosGrants;
import io.otaedge.edge.grant.TokenGrants;
import io.otaedge.edge.metrics.EdgeMetrics;
import io.otaedge.edge.metrics.MeteredTokenResolver;
import io.otaedge.edge.origin.OriginPull;
import io.otaedge.edge.progress.ProgressRecorder;
import io.otaedge.edge.tls.TlsContexts;
import io.otaedge.edge.token.CachingTokenResolver;
import io.otaedge.edge.token.TokenResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The download edge: a Netty HTTP/1.1 server for {@code GET|HEAD /ota/download/<token>}. Built from its
 * configuration and dependencies (the download context every connection shares); its parts are the listening
 * socket ({@link EdgeListener}), the connections' pipeline ({@link EdgeChannelInitializer}), the open connections
 * and their drain ({@link EdgeConnections}) and the fleet work ({@link EdgeHousekeeping}). This class owns the
 * order of start and stop.
 */
public final class EdgeServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EdgeServer.class);

    private final EdgeConfig config;
    private final DownloadContext context;
    private final OpenBlobCache files;
    private final EdgeConnections connections = new EdgeConnections();
    private final EdgeLoad load = new EdgeLoad(this::openConnections);
    /** Null without Redis for fleet work: then nothing is counted, flushed or registered. */
    private final ProgressRecorder progress;
    private final EdgeRegistry registry;
    /** Null for plain HTTP (then bodies go out with sendfile). */
    private final SslContext tls;
    /** Null when origin-pull is off ({@code OTA_EDGE_ORIGIN_URL} unset). */
    private final OriginPull origin;
    private EdgeListener listener;
    private boolean closed;
    private String publicAddress;
    /** Null until started, and without Redis for fleet work. */
    private EdgeHousekeeping housekeeping;
    /** Null when the cell cap is off (or there is no fleet Redis to share it through). */
    private final CellSlots cells;

    /** An edge built from {@code deps} (see {@link EdgeDependencies#builder}); {@link #start()} binds it. */
    public EdgeServer(EdgeConfig config, EdgeDependencies deps) {
        this.config = config;
        EdgeMetrics metrics = deps.metrics();
        RedisClusterAsyncCommands<String, String> fleetRedis = deps.fleetRedis();
        this.progress = fleetRedis == null ? null : new ProgressRecorder(new DownloadProgressStore(fleetRedis));
        this.registry = fleetRedis == null ? null : new EdgeRegistry(fleetRedis);
        this.publicAddress = config.publicAddress();
        TokenResolver tokens = new MeteredTokenResolver(deps.tokens(), metrics);
        TokenResolver resolver = config.tokenCacheSize() > 0 && !config.tokenCacheTtl().isZero()
                ? new CachingTokenResolver(tokens, config.tokenCacheSize(), config.tokenCacheTtl())
                : tokens;
        if (resolver instanceof CachingTokenResolver cache) {
            metrics.bindTokenCache(cache);
        }
        metrics.bindConnections(this::openConnections);
        this.files = new OpenBlobCache(config.openFileCacheTtl(), 256);
        this.tls = TlsContexts.server(config.tls());
        this.origin = config.origin().enabled() ? new OriginPull(config.origin(), deps.blobs(), metrics) : null;
        GrantedBlobs granted = new GrantedBlobs(deps.blobs(), files, origin);
        GrantSource grants = GrantSource.byRoute(new TokenGrants(resolver, granted),
                deps.luatos() == null ? null : new LuatosGrants(deps.luatos(), granted, metrics));
        if (config.cellCap().on() && fleetRedis == null) {
            log.warn("OTA_EDGE_CELL_CAP is set but this edge has no Redis to share cell slots through: the cap is off");
        }
        this.cells = config.cellCap().on() && fleetRedis != null
                ? new CellSlots(fleetRedis, config.cellCap(), metrics)
                : null;
        ProgressRecorder recorder = progress;
        this.context = new DownloadContext(grants, deps.luatosPath(), deps.deviceApi(), metrics,
                (grant, bytes, end) -> {
                    load.served(bytes);
                    if (recorder != null) {
                        recorder.record(grant, bytes, end);
                    }
                }, Math.max(1, config.retryAfter().toSeconds()), config.maxRanges(), tls != null, cells);
    }

    /** Binds and starts serving; fails with a message naming the address when it cannot listen. */
    public synchronized EdgeServer start() {
        if (listener != null) {
            throw new IllegalStateException("edge already started");
        }
        listener = EdgeListener.bind(config, new EdgeChannelInitializer(config, context, connections, tls));
        log.info("edge listening on {}:{} ({} transport, {})", config.bindAddress(), port(), listener.transportName(),
                tls == null ? "plain HTTP" : "TLS");
        if (progress != null) {
            housekeeping = EdgeHousekeeping.start(config, progress, registry, load, cells, publicAddress);
        }
        return this;
    }

    /**
     * Sets the public {@code host:port} this edge registers under when {@code OTA_EDGE_PUBLIC_ADDRESS}
     * could not say it (the standalone learns its edge's port only once it is bound).
     */
    public synchronized EdgeServer advertiseAs(String address) {
        if (housekeeping != null) {
            housekeeping.advertiseAs(address);
        } else {
            publicAddress = address;
        }
        return this;
    }

    /**
     * Waits until every write completed before the call has had its listeners run. For tests that must see
     * what a finished response recorded, not a way to pace anything.
     */
    void syncEventLoops() {
        listener.syncEventLoops();
    }

    /** What this edge serves and holds; read by the heartbeat (and by whoever else wants it). */
    public EdgeLoad load() {
        return load;
    }

    /** Origin-pull, or null when it is off. */
    OriginPull origin() {
        return origin;
    }

    /** The in-memory download progress, or null when this edge has no Redis for it. */
    ProgressRecorder progress() {
        return progress;
    }

    /** The NB-IoT cell slots, or null when the cap is off. */
    CellSlots cells() {
        return cells;
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        EdgeListener l = listener;
        if (l == null) {
            throw new IllegalStateException("edge not started");
        }
        return l.port();
    }

    /** True while the server accepts connections (started, not closing). */
    public boolean listening() {
        EdgeListener l = listener;
        return l != null && l.active() && !connections.draining();
    }

    /** Open client connections right now. */
    public int openConnections() {
        return connections.open();
    }

    /**
     * Graceful stop: leaves the edge registry, stops accepting, closes idle keep-alive connections at once,
     * lets responses in progress finish (each then closes its connection) up to {@code OTA_EDGE_SHUTDOWN_GRACE},
     * then closes whatever is left and stops the event loops.
     */
    @Override
    public synchronized void close() {
        if (closed || listener == null) {
            closed = true;
            return;
        }
        closed = true;
        if (housekeeping != null) {
            // Devices must stop being sent here before the edge stops answering.
            housekeeping.stopHeartbeat();
        }
        connections.startDraining();
        context.metrics().down();
        listener.stopAccepting();
        connections.drain(config.shutdownGrace());
        if (context.deviceApi() != null) {
            context.deviceApi().close();
        }
        listener.shutdown(1);
        files.close();
        if (origin != null) {
            origin.close();
        }
        if (housekeeping != null) {
            housekeeping.stop();
        }
        log.info("edge stopped");
    }
}
