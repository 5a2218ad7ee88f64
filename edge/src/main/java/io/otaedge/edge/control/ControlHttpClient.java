package io.otaedge.edge.control;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.SimpleChannelPool;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.FutureListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The edge's HTTP/1.1 client to the control service: one request, one small reply (at most
 * {@value #MAX_BODY} bytes), run on the calling device channel's own event loop, so there is no
 * thread hop and nothing blocks (host names are resolved with Netty's asynchronous DNS resolver).
 * Connections are kept alive and pooled per event loop and control address; an idle pooled
 * connection is closed after {@link ControlExchange#IDLE_SECONDS} seconds, and one that failed, timed
 * out or was told {@code Connection: close} is never reused.
 */
public final class ControlHttpClient implements AutoCloseable {

    /** Largest reply body accepted from control; larger fails the call. */
    public static final int MAX_BODY = 64 * 1024;

    private final Supplier<URI> base;
    private final Duration timeout;
    private final ConcurrentMap<PoolKey, SimpleChannelPool> pools = new ConcurrentHashMap<>();
    private final ConcurrentMap<PoolKey, DnsAddressResolverGroup> resolvers = new ConcurrentHashMap<>();

    /** A reply as control sent it; {@code headers} are the response's own. */
    public record Reply(int status, HttpHeaders headers, byte[] body) {
    }

    private record PoolKey(EventLoop loop, String host, int port) {
    }

    /**
     * @param base    control's base URL, e.g. {@code http://control:8081}; read per call (the standalone
     *                learns its control's port only after the edge started); a path is a prefix
     * @param timeout how long one call may take, connecting included
     */
    public ControlHttpClient(Supplier<URI> base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Sends {@code method pathAndQuery} (relative to the base URL's path) with {@code headers} and
     * {@code body} (its {@code Content-Length} and {@code Host} are set here). The stage completes on
     * {@code requester}'s event loop; it fails when control cannot be reached, answers malformed or too
     * large, or not within the timeout.
     */
    public CompletionStage<Reply> send(Channel requester, HttpMethod method, String pathAndQuery, HttpHeaders headers,
                                       byte[] body) {
        CompletableFuture<Reply> result = new CompletableFuture<>();
        URI url;
        try {
            url = base.get();
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return result;
        }
        String host = url.getHost();
        int port = url.getPort() < 0 ? 80 : url.getPort();
        String prefix = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, prefix + pathAndQuery,
                Unpooled.wrappedBuffer(body));
        request.headers().set(headers)
                .set("Host", port == 80 ? host : host + ":" + port)
                .set("Content-Length", body.length);
        SimpleChannelPool pool = pools.computeIfAbsent(new PoolKey(requester.eventLoop(), host, port),
                key -> newPool(key, requester));
        pool.acquire().addListener((FutureListener<Channel>) acquired -> {
            if (!acquired.isSuccess()) {
                request.release();
                result.completeExceptionally(acquired.cause());
                return;
            }
            Channel ch = acquired.getNow();
            ControlExchange exchange = ch.pipeline().get(ControlExchange.class);
            exchange.begin(result, pool, timeout);
            ch.writeAndFlush(request).addListener((ChannelFutureListener) written -> {
                if (!written.isSuccess()) {
                    exchange.fail(written.cause());
                }
            });
        });
        return result;
    }

    private SimpleChannelPool newPool(PoolKey key, Channel requester) {
        boolean epoll = requester instanceof EpollSocketChannel;
        Bootstrap b = new Bootstrap()
                .group(key.loop())
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true);
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(key.host());
        if (literal != null) {
            try {
                b.remoteAddress(new InetSocketAddress(InetAddress.getByAddress(literal), key.port()));
            } catch (java.net.UnknownHostException impossible) {
                throw new IllegalArgumentException(key.host(), impossible);
            }
        } else {
            // The JDK's resolver would block the event loop: resolve with Netty's DNS client instead.
            DnsAddressResolverGroup dns = resolvers.computeIfAbsent(key, k -> new DnsAddressResolverGroup(
                    epoll ? EpollDatagramChannel.class : NioDatagramChannel.class,
                    DnsServerAddressStreamProviders.platformDefault()));
            b.resolver(dns).remoteAddress(InetSocketAddress.createUnresolved(key.host(), key.port()));
        }
        // Most recently used first: the idle ones at the bottom age out.
        return new SimpleChannelPool(b, new ControlExchange.PoolHandler(MAX_BODY), ChannelHealthChecker.ACTIVE, true, true);
    }

    /** Closes the pooled connections. */
    @Override
    public void close() {
        pools.values().forEach(SimpleChannelPool::close);
        pools.clear();
        resolvers.values().forEach(DnsAddressResolverGroup::close);
        resolvers.clear();
    }
}
