package io.otaedge.edge;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.otaedge.common.config.ConfigException;
import io.otaedge.common.fleet.EdgeRegistry;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.edge.file.OpenBlobCache;
import io.otaedge.edge.fleet.EdgeHeartbeat;
import io.otaedge.edge.fleet.EdgeLoad;
import io.otaedge.edge.download.DownloadContext;
import io.otaedge.edge.grant.GrantSource;
import io.otaedge.edge.grant.GrantedBlobs;
import io.otaedge.edge.grant.LuatosGrants;
import io.otaedge.edge.grant.TokenGrants;
import io.otaedge.edge.exchange.ExchangeEvent;
import io.otaedge.edge.metrics.EdgeMetrics;
import io.otaedge.edge.metrics.MeteredTokenResolver;
import io.otaedge.edge.origin.OriginPull;
import io.otaedge.edge.progress.ProgressRecorder;
import io.otaedge.edge.tls.TlsContexts;
import io.otaedge.edge.token.CachingTokenResolver;
import io.otaedge.edge.token.TokenResolver;
import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The download edge: a Netty HTTP/1.1 server for {@code GET|HEAD /ota/download/<token>}. */
public final class EdgeServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EdgeServer.class);

    private final EdgeConfig config;
    private final DownloadContext context;
    private final OpenBlobCache files;
    private final ChannelGroup channels = new DefaultChannelGroup("ota-edge", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup acceptGroup;
    private EventLoopGroup ioGroup;
    private Channel serverChannel;
    private EdgeChannelInitializer initializer;
    private boolean closed;
    /** Set at shutdown: answers from then on close their connection. */
    private volatile boolean draining;
    private final EdgeLoad load = new EdgeLoad(this::openConnections);
    /** Null without Redis for fleet work: then nothing is counted, flushed or registered. */
    private final ProgressRecorder progress;
    private final EdgeRegistry registry;
    /** Null for plain HTTP (then bodies go out with sendfile). */
    private final SslContext tls;
    /** Null when origin-pull is off ({@code OTA_EDGE_ORIGIN_URL} unset). */
    private final OriginPull origin;
    private String publicAddress;
    private EdgeHeartbeat heartbeat;
    private ScheduledExecutorService housekeeping;

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
        ProgressRecorder recorder = progress;
        this.context = new DownloadContext(grants, deps.luatosPath(), deps.deviceApi(), metrics,
                (grant, bytes, end) -> {
                    load.served(bytes);
                    if (recorder != null) {
                        recorder.record(grant, bytes, end);
                    }
                }, Math.max(1, config.retryAfter().toSeconds()), config.maxRanges(), tls != null);
    }

    /** Binds and starts serving; fails with a message naming the address when it cannot listen. */
    public synchronized EdgeServer start() {
        if (serverChannel != null) {
            throw new IllegalStateException("edge already started");
        }
        Transport transport = Transport.select(config.transport());
        acceptGroup = transport.newGroup(1, "ota-edge-accept");
        ioGroup = transport.newGroup(config.ioThreads() == 0 ? Runtime.getRuntime().availableProcessors() : config.ioThreads(),
                "ota-edge-io");
        initializer = new EdgeChannelInitializer(config, context, channels, tls, () -> draining);
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptGroup, ioGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // A slow reader must never make the edge buffer a file: writes stop above the high mark.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.writeBufferLow(), config.writeBufferHigh()))
                .childHandler(initializer);
        if (config.reusePort()) {
            if (!transport.name().equals("epoll")) {
                shutdownGroups(0);
                throw new ConfigException("OTA_EDGE_REUSE_PORT", "true", "the epoll transport (it is " + transport.name() + ")");
            }
            // Several edge processes on one port: the kernel spreads new connections over them.
            b.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        InetSocketAddress address = new InetSocketAddress(config.bindAddress(), config.port());
        try {
            serverChannel = b.bind(address).sync().channel();
        } catch (Exception e) {
            shutdownGroups(0);
            throw new IllegalStateException("the edge cannot listen on " + config.bindAddress() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        }
        log.info("edge listening on {}:{} ({} transport, {})", config.bindAddress(), port(), transport.name(),
                tls == null ? "plain HTTP" : "TLS");
        startHousekeeping();
        return this;
    }

    /** Progress flushes and heartbeats, on one small thread of their own (their Redis calls are async). */
    private void startHousekeeping() {
        if (progress == null) {
            return;
        }
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ota-edge-housekeeping");
            t.setDaemon(true);
            return t;
        });
        long flush = config.progressFlush().toMillis();
        housekeeping.scheduleWithFixedDelay(progress::flush, flush, flush, TimeUnit.MILLISECONDS);
        if (publicAddress != null) {
            startHeartbeat();
        }
    }

    /**
     * Sets the public {@code host:port} this edge registers under when {@code OTA_EDGE_PUBLIC_ADDRESS}
     * could not say it (the standalone learns its edge's port only once it is bound).
     */
    public synchronized EdgeServer advertiseAs(String address) {
        if (heartbeat == null) {
            publicAddress = address;
            if (housekeeping != null) {
                startHeartbeat();
            }
        }
        return this;
    }

    private void startHeartbeat() {
        String id = config.edgeId() != null ? config.edgeId() : publicAddress + "-" + UUID.randomUUID().toString().substring(0, 8);
        heartbeat = new EdgeHeartbeat(registry, id,
                publicAddress, config.maxConnections(), load, config.heartbeat());
        heartbeat.start(housekeeping);
    }

    /**
     * Runs a no-op on every I/O event loop and waits for it: afterwards every write completed before
     * the call has had its listeners run (they run in the same event-loop task as the write). For
     * tests that must see what a finished response recorded, not a way to pace anything.
     */
    void syncEventLoops() {
        for (io.netty.util.concurrent.EventExecutor loop : ioGroup) {
            loop.submit(() -> { }).syncUninterruptibly();
        }
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

    /** The bound port (useful when configured as 0). */
    public int port() {
        Channel ch = serverChannel;
        if (ch == null) {
            throw new IllegalStateException("edge not started");
        }
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /** True while the server accepts connections (started, not closing). */
    public boolean listening() {
        Channel ch = serverChannel;
        return ch != null && ch.isActive() && !draining;
    }

    /** Open client connections right now. */
    public int openConnections() {
        return initializer == null ? 0 : initializer.openConnections();
    }

    /**
     * Graceful stop: stops accepting, closes idle keep-alive connections at once, lets responses
     * in progress finish (each then closes its connection) up to {@code OTA_EDGE_SHUTDOWN_GRACE},
     * then closes whatever is left and stops the event loops.
     */
    @Override
    public synchronized void close() {
        if (closed || serverChannel == null) {
            closed = true;
            return;
        }
        closed = true;
        if (heartbeat != null) {
            // Devices must stop being sent here before the edge stops answering.
            heartbeat.stop();
        }
        draining = true;
        context.metrics().down();
        serverChannel.close().syncUninterruptibly();
        for (Channel ch : channels) {
            // The keep-alive handler closes an idle connection now, a busy one after its answer.
            ch.eventLoop().execute(() -> ExchangeEvent.DRAIN.announce(ch));
        }
        long grace = config.shutdownGrace().toMillis();
        if (!channels.newCloseFuture().awaitUninterruptibly(grace, TimeUnit.MILLISECONDS)) {
            log.warn("{} downloads still running after the {} ms shutdown grace; closing them", channels.size(), grace);
            channels.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        if (context.deviceApi() != null) {
            context.deviceApi().close();
        }
        shutdownGroups(1);
        files.close();
        if (origin != null) {
            origin.close();
        }
        stopHousekeeping();
        log.info("edge stopped");
    }

    /** Writes the last progress counts (the downloads have finished by now) and stops the timer. */
    private void stopHousekeeping() {
        if (housekeeping == null) {
            return;
        }
        housekeeping.shutdownNow();
        try {
            progress.flush().toCompletableFuture().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("the last download progress could not be written", e);
        }
    }

    private void shutdownGroups(long timeoutSeconds) {
        if (acceptGroup != null) {
            acceptGroup.shutdownGracefully(0, timeoutSeconds, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        if (ioGroup != null) {
            ioGroup.shutdownGracefully(0, timeoutSeconds, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
