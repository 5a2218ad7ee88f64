package io.otaedge.edge;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.token.TokenStore;
import io.otaedge.edge.http.DownloadContext;
import io.otaedge.edge.token.CachingTokenResolver;
import io.otaedge.edge.token.TokenResolver;
import io.otaedge.edge.file.OpenBlobCache;
import io.otaedge.edge.http.DownloadHandler;
import io.otaedge.edge.luatos.LuatosDecisions;
import java.net.InetSocketAddress;
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

    public EdgeServer(EdgeConfig config, TokenStore tokens, BlobStore blobs) {
        this(config, (TokenResolver) tokens::find, blobs);
    }

    /** With LuatOS' route ({@code luatos} null = off). */
    public EdgeServer(EdgeConfig config, TokenStore tokens, BlobStore blobs, LuatosDecisions luatos, String luatosPath) {
        this(config, (TokenResolver) tokens::find, blobs, luatos, luatosPath);
    }

    EdgeServer(EdgeConfig config, TokenResolver tokens, BlobStore blobs) {
        this(config, tokens, blobs, null, null);
    }

    EdgeServer(EdgeConfig config, TokenResolver tokens, BlobStore blobs, LuatosDecisions luatos, String luatosPath) {
        this.config = config;
        TokenResolver resolver = config.tokenCacheSize() > 0 && !config.tokenCacheTtl().isZero()
                ? new CachingTokenResolver(tokens, config.tokenCacheSize(), config.tokenCacheTtl())
                : tokens;
        this.files = new OpenBlobCache(config.openFileCacheTtl(), 256);
        this.context = new DownloadContext(resolver, blobs, files, Math.max(1, config.retryAfter().toSeconds()),
                config.maxRanges(), luatos, luatosPath);
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
        initializer = new EdgeChannelInitializer(config, context, channels);
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
        InetSocketAddress address = new InetSocketAddress(config.bindAddress(), config.port());
        try {
            serverChannel = b.bind(address).sync().channel();
        } catch (Exception e) {
            shutdownGroups(0);
            throw new IllegalStateException("the edge cannot listen on " + config.bindAddress() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        }
        log.info("edge listening on {}:{} ({} transport)", config.bindAddress(), port(), transport.name());
        return this;
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        Channel ch = serverChannel;
        if (ch == null) {
            throw new IllegalStateException("edge not started");
        }
        return ((InetSocketAddress) ch.localAddress()).getPort();
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
        context.startDraining();
        serverChannel.close().syncUninterruptibly();
        for (Channel ch : channels) {
            ch.eventLoop().execute(() -> {
                DownloadHandler h = ch.pipeline().get(DownloadHandler.class);
                if (h != null) {
                    h.closeIfIdle();
                } else {
                    ch.close();
                }
            });
        }
        long grace = config.shutdownGrace().toMillis();
        if (!channels.newCloseFuture().awaitUninterruptibly(grace, TimeUnit.MILLISECONDS)) {
            log.warn("{} downloads still running after the {} ms shutdown grace; closing them", channels.size(), grace);
            channels.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        shutdownGroups(1);
        files.close();
        log.info("edge stopped");
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
