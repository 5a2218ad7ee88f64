package io.otaedge.edge.luatos;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.otaedge.common.luatos.LuatosDecisionApi;
import io.otaedge.common.json.Json;
import io.otaedge.common.token.TokenGrant;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Asks the control service's internal endpoint ({@code GET /internal/v1/luatos/decision?<query>} with
 * {@code X-OTA-Internal-Secret}) with a Netty client on the device channel's own event loop: no thread
 * hop, nothing blocks. One short connection per decision (LuatOS devices ask once per download attempt).
 * A ranged retry adds {@code X-OTA-Resume: <first byte>}, so control keeps serving the grant the device
 * was downloading.
 */
public final class ControlDecisionClient implements LuatosDecisions {

    private static final int MAX_RESPONSE = 64 * 1024;

    private final Supplier<URI> controlUrl;
    private final String secret;
    private final Duration timeout;

    /** {@code controlUrl}: the control service's operator port, e.g. {@code http://127.0.0.1:8082} (read per call). */
    public ControlDecisionClient(Supplier<URI> controlUrl, String secret, Duration timeout) {
        this.controlUrl = controlUrl;
        this.secret = secret;
        this.timeout = timeout;
    }

    @Override
    public CompletionStage<LuatosDecision> decide(String query, long resumeFrom, Channel requester) {
        CompletableFuture<LuatosDecision> result = new CompletableFuture<>();
        URI base = controlUrl.get();
        String host = base.getHost();
        int port = base.getPort() < 0 ? 80 : base.getPort();
        String path = (base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "")) + LuatosDecisionApi.PATH + "?" + query;
        Bootstrap b = new Bootstrap()
                .group(requester.eventLoop())
                .channel(requester instanceof EpollSocketChannel ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ReadTimeoutHandler(timeout.toMillis(), TimeUnit.MILLISECONDS),
                                new HttpClientCodec(), new HttpObjectAggregator(MAX_RESPONSE), new Reply(result));
                    }
                });
        b.connect(host, port).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path, Unpooled.EMPTY_BUFFER);
            request.headers().set("Host", host + ":" + port)
                    .set(LuatosDecisionApi.SECRET_HEADER, secret)
                    .set("Connection", "close")
                    .set("Content-Length", 0);
            if (resumeFrom > 0) {
                request.headers().set(LuatosDecisionApi.RESUME_HEADER, Long.toString(resumeFrom));
            }
            f.channel().writeAndFlush(request).addListener((ChannelFutureListener) w -> {
                if (!w.isSuccess()) {
                    result.completeExceptionally(w.cause());
                    w.channel().close();
                }
            });
        });
        return result;
    }

    /** Turns the control service's JSON into a decision; anything unexpected fails the stage (the edge answers 503). */
    static LuatosDecision parse(int status, byte[] body) throws IOException {
        if (status != 200) {
            throw new IOException("the control service answered " + status);
        }
        JsonNode n = Json.mapper().readTree(body);
        if (n != null && n.path("upgrade").asBoolean(false) && n.has("grant")) {
            return new LuatosDecision.Grant(Json.mapper().treeToValue(n.get("grant"), TokenGrant.class));
        }
        if (n != null && n.has("upgrade") && !n.path("upgrade").asBoolean(true)) {
            return new LuatosDecision.Refusal(n.path("status").asInt(503), n.path("reason").asText("no upgrade"));
        }
        throw new IOException("the control service's decision is malformed");
    }

    private static final class Reply extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<LuatosDecision> result;

        Reply(CompletableFuture<LuatosDecision> result) {
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            try {
                result.complete(parse(response.status().code(), ByteBufUtil.getBytes(response.content())));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.completeExceptionally(new IOException("the control service closed the connection early"));
        }
    }
}
