package io.otaedge.edge;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.util.concurrent.EventExecutor;
import io.otaedge.common.config.ConfigException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The edge's listening socket and event loops: the transport (epoll, else NIO), the accept and I/O groups, the
 * socket options, the bind. Knows nothing of HTTP: every accepted connection goes to the child handler.
 */
final class EdgeListener {

    private final Transport transport;
    private final EventLoopGroup acceptGroup;
    private final EventLoopGroup ioGroup;
    private final Channel serverChannel;

    private EdgeListener(Transport transport, EventLoopGroup acceptGroup, EventLoopGroup ioGroup, Channel serverChannel) {
        this.transport = transport;
        this.acceptGroup = acceptGroup;
        this.ioGroup = ioGroup;
        this.serverChannel = serverChannel;
    }

    /** Binds; fails with a message naming the address (or the setting) when it cannot listen, its loops stopped. */
    static EdgeListener bind(EdgeConfig config, ChannelHandler connections) {
        Transport transport = Transport.select(config.transport());
        EventLoopGroup acceptGroup = transport.newGroup(1, "ota-edge-accept");
        EventLoopGroup ioGroup = transport.newGroup(
                config.ioThreads() == 0 ? Runtime.getRuntime().availableProcessors() : config.ioThreads(), "ota-edge-io");
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptGroup, ioGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // A slow reader must never make the edge buffer a file: writes stop above the high mark.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.writeBufferLow(), config.writeBufferHigh()))
                .childHandler(connections);
        if (config.reusePort()) {
            if (!transport.name().equals("epoll")) {
                shutdown(acceptGroup, ioGroup, 0);
                throw new ConfigException("OTA_EDGE_REUSE_PORT", "true", "the epoll transport (it is " + transport.name() + ")");
            }
            // Several edge processes on one port: the kernel spreads new connections over them.
            b.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        InetSocketAddress address = new InetSocketAddress(config.bindAddress(), config.port());
        try {
            return new EdgeListener(transport, acceptGroup, ioGroup, b.bind(address).sync().channel());
        } catch (Exception e) {
            shutdown(acceptGroup, ioGroup, 0);
            throw new IllegalStateException("the edge cannot listen on " + config.bindAddress() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        }
    }

    String transportName() {
        return transport.name();
    }

    int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    boolean active() {
        return serverChannel.isActive();
    }

    /** Stops accepting connections; those open go on. */
    void stopAccepting() {
        serverChannel.close().syncUninterruptibly();
    }

    /**
     * Runs a no-op on every I/O event loop and waits for it: afterwards every write completed before the call
     * has had its listeners run (they run in the same event-loop task as the write).
     */
    void syncEventLoops() {
        for (EventExecutor loop : ioGroup) {
            loop.submit(() -> { }).syncUninterruptibly();
        }
    }

    /** Stops the event loops, waiting up to {@code timeoutSeconds} for their tasks. */
    void shutdown(long timeoutSeconds) {
        shutdown(acceptGroup, ioGroup, timeoutSeconds);
    }

    private static void shutdown(EventLoopGroup acceptGroup, EventLoopGroup ioGroup, long timeoutSeconds) {
        acceptGroup.shutdownGracefully(0, timeoutSeconds, TimeUnit.SECONDS).awaitUninterruptibly();
        ioGroup.shutdownGracefully(0, timeoutSeconds, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
