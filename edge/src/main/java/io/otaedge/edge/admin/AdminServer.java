package io.otaedge.edge.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.otaedge.common.metrics.ServiceMetrics;
import io.otaedge.common.redis.RedisProbe;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's operator listener: a tiny HTTP server on its own single thread, apart from the
 * download event loops, so a scrape never competes with downloads and a busy edge still answers
 * its health checks.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final AdminConfig config;
    private final AdminHandler handler;
    private EventLoopGroup group;
    private Channel channel;

    /** {@code ready} answers /health/ready; it must be cheap and must not block. */
    public AdminServer(AdminConfig config, ServiceMetrics metrics, BooleanSupplier ready) {
        this.config = config;
        this.handler = new AdminHandler(metrics, ready);
    }

    /** The edge's admin listener: ready while the edge listens ({@code edgeListening}) and Redis answered recently. */
    public static AdminServer forEdge(AdminConfig config, ServiceMetrics metrics, BooleanSupplier edgeListening,
                                      RedisProbe redis) {
        return new AdminServer(config, metrics, () -> edgeListening.getAsBoolean() && redis.healthy());
    }

    public synchronized AdminServer start() {
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ota-edge-admin", true), NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192), new HttpObjectAggregator(8192), handler);
                    }
                });
        try {
            channel = b.bind(new InetSocketAddress(config.bind(), config.port())).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
            throw new IllegalStateException("the edge admin port cannot listen on " + config.bind() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        }
        log.info("edge admin (/metrics, /health/live, /health/ready) on {}:{}", config.bind(), port());
        return this;
    }

    public int port() {
        Channel ch = channel;
        if (ch == null) {
            throw new IllegalStateException("admin server not started");
        }
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
