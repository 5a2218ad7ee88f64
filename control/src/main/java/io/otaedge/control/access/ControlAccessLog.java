package io.otaedge.control.access;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.otaedge.common.logging.AccessLineEnd;
import io.otaedge.common.logging.AccessLogSettings;
import io.otaedge.common.logging.Redaction;
import io.otaedge.common.logging.RequestId;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Control's access log and request ids, one handler per connection right after the HTTP codec: every request gets
 * its {@code X-Request-Id} (the caller's when sane, an edge's forwarded one included, else a new one, set on the
 * request so the routes see it) and the response echoes it (on the device port only an id the caller sent); a sampled exchange is one line on
 * {@value AccessLogSettings#LOGGER} once its last write completed: port, request id, method, path (tokens cut to their
 * first characters, never the query), dialect and device as the routes noted them ({@link #note}), status, bytes,
 * duration. Requests a client pipelines wait in order (responses leave in request order), so the routes' note goes
 * to the oldest one, the one reactor-netty is answering.
 */
public final class ControlAccessLog extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(AccessLogSettings.LOGGER);
    private static final AttributeKey<ControlAccessLog> KEY = AttributeKey.valueOf(ControlAccessLog.class, "access");
    private static final int MAX_PATH = 256;

    private final String port;
    private final AccessLogSettings settings;
    private final ArrayDeque<Exchange> pending = new ArrayDeque<>(2);
    private ChannelHandlerContext ctx;

    private static final class Exchange {
        final long started;
        final String requestId;
        final String method;
        final String path;
        final boolean sampled;
        final boolean echo;
        String dialect;
        String device;
        int status;
        long bytes;

        Exchange(long started, String requestId, String method, String path, boolean sampled, boolean echo) {
            this.started = started;
            this.echo = echo;
            this.requestId = requestId;
            this.method = method;
            this.path = path;
            this.sampled = sampled;
        }
    }

    /** @param port the port's name in the lines ({@code device}, {@code admin}) */
    public ControlAccessLog(String port, AccessLogSettings settings) {
        this.port = port;
        this.settings = settings;
    }

    /**
     * The request being answered on {@code request}'s connection is the {@code dialect}'s, for {@code device} (null:
     * not known); nothing when the access log is off.
     */
    public static void note(HttpServerRequest request, String dialect, String device) {
        request.withConnection(c -> note(c.channel(), dialect, device));
    }

    static void note(Channel channel, String dialect, String device) {
        ControlAccessLog access = channel.attr(KEY).get();
        Exchange e = access == null ? null : access.pending.peekFirst();
        if (e != null) {
            if (dialect != null) {
                e.dialect = dialect;
            }
            if (device != null) {
                e.device = device;
            }
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.channel().attr(KEY).set(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            String incoming = req.headers().get(RequestId.HEADER);
            String id = RequestId.acceptOrMake(incoming);
            req.headers().set(RequestId.HEADER, id);
            // Devices never send an id and some read replies into a few hundred bytes: the device port echoes only
            // an id its caller sent (an edge relaying, a tester); the admin port always answers with one.
            boolean echo = incoming != null || !"device".equals(port);
            pending.addLast(new Exchange(now(), id, req.method().name(), Redaction.path(clean(path(req.uri()))),
                    settings.sampled(), echo));
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        Exchange e = pending.peekFirst();
        if (e != null) {
            if (msg instanceof HttpResponse res) {
                e.status = res.status().code();
                if (e.echo) {
                    res.headers().set(RequestId.HEADER, e.requestId);
                }
            }
            if (msg instanceof io.netty.buffer.ByteBufHolder h) {
                e.bytes += h.content().readableBytes();
            } else if (msg instanceof io.netty.buffer.ByteBuf b) {
                e.bytes += b.readableBytes();
            }
            if (msg instanceof LastHttpContent) {
                pending.pollFirst();
                if (e.sampled) {
                    promise = promise.unvoid();
                    promise.addListener(f -> logged(e, (ChannelFuture) f));
                }
            }
        }
        ctx.write(msg, promise);
    }

    private void logged(Exchange e, ChannelFuture f) {
        var event = log.atInfo()
                .addKeyValue("service", "control")
                .addKeyValue("port", port)
                .addKeyValue("request_id", e.requestId)
                .addKeyValue("method", e.method)
                .addKeyValue("path", e.path);
        event = AccessLineEnd.optional(event, "dialect", e.dialect);
        event = AccessLineEnd.optional(event, "device", e.device);
        AccessLineEnd.log(event, ctx.channel(), e.method, e.path, e.status, e.bytes, e.started, now(), f.isSuccess());
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }

    static String path(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    /** A path a client chose, as a log field: at most {@value #MAX_PATH} printable ASCII characters, no quotes. */
    static String clean(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_PATH));
        for (int i = 0; i < value.length() && i < MAX_PATH; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
        }
        return out.toString();
    }
}
