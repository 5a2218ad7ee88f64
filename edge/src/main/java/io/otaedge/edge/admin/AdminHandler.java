package io.otaedge.edge.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.otaedge.common.metrics.ServiceMetrics;
import io.otaedge.edge.logging.LogThrottle;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** GET /metrics, /health/live and /health/ready; anything else is a 404 (405 for other methods). */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);
    private static final LogThrottle FAILED_LOG = new LogThrottle(10, TimeUnit.SECONDS);

    private static final String TEXT = "text/plain; charset=utf-8";

    private final ServiceMetrics metrics;
    private final BooleanSupplier ready;

    AdminHandler(ServiceMetrics metrics, BooleanSupplier ready) {
        this.metrics = metrics;
        this.ready = ready;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        FullHttpResponse res = answer(req);
        boolean keepAlive = HttpUtil.isKeepAlive(req) && req.decoderResult().isSuccess();
        HttpUtil.setContentLength(res, res.content().readableBytes());
        HttpUtil.setKeepAlive(res, keepAlive);
        if (HttpMethod.HEAD.equals(req.method())) {
            res = res.replace(Unpooled.EMPTY_BUFFER);
        }
        var written = ctx.writeAndFlush(res);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private FullHttpResponse answer(FullHttpRequest req) {
        if (req.decoderResult().isFailure()) {
            return text(HttpResponseStatus.BAD_REQUEST, "bad request\n");
        }
        String path = new QueryStringDecoder(req.uri()).path();
        if (!path.equals("/metrics") && !path.equals("/health/live") && !path.equals("/health/ready")) {
            return text(HttpResponseStatus.NOT_FOUND, "not found\n");
        }
        if (!HttpMethod.GET.equals(req.method()) && !HttpMethod.HEAD.equals(req.method())) {
            FullHttpResponse r = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed\n");
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            return r;
        }
        return switch (path) {
            case "/metrics" -> {
                FullHttpResponse r = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(metrics.scrape()));
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, ServiceMetrics.CONTENT_TYPE);
                yield r;
            }
            case "/health/live" -> text(HttpResponseStatus.OK, "live\n");
            default -> ready.getAsBoolean() ? text(HttpResponseStatus.OK, "ready\n")
                    : text(HttpResponseStatus.SERVICE_UNAVAILABLE, "not ready\n");
        };
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return r;
    }

    /** The pipeline failed (a reset, a malformed request): close, and say why unless it was the client. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            log.debug("admin connection {} failed", ctx.channel().remoteAddress(), cause);
        } else if (FAILED_LOG.allow()) {
            log.warn("admin connection {} failed", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
