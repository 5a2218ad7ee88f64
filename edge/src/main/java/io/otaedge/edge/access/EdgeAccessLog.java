package io.otaedge.edge.access;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.otaedge.common.logging.AccessLineEnd;
import io.otaedge.common.logging.AccessLogSettings;
import io.otaedge.common.logging.Redaction;
import io.otaedge.edge.exchange.Exchanges;
import io.otaedge.edge.exchange.RequestIds;
import io.otaedge.edge.metrics.ExchangeMeter;
import io.otaedge.edge.route.Route;
import io.otaedge.edge.wire.EncodedResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's access log: one line per exchange on {@value AccessLogSettings#LOGGER}, written when the response's
 * last write completed (or failed). Installed only when the log is on ({@code OTA_ACCESS_LOG}); sampled per
 * exchange ({@code OTA_ACCESS_LOG_SAMPLE}), decided when the response starts. An exchange that is not sampled costs
 * one random number; a sampled one reads the request being answered from {@link Exchanges} at its response head
 * (request id, route, token prefix, device, range), sums the body bytes as they pass, and logs one event with
 * key/value fields at the end. Never a whole token: its first characters only ({@link Redaction}); never the query
 * (signatures, keys). The logger's appender is asynchronous and never blocks (logback.xml): the event loop only
 * enqueues.
 */
public final class EdgeAccessLog extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(AccessLogSettings.LOGGER);
    private static final int MAX_RANGE = 64;
    private static final int MAX_PATH = 256;

    private final AccessLogSettings settings;
    private final String luatosPath;
    private final boolean deviceApi;
    private final ChannelFutureListener ended = this::ended;
    private ChannelHandlerContext ctx;
    private Exchanges exchanges;

    /** The exchange being logged; null when none, or when it was not sampled. */
    private Line line;

    /** What one logged exchange says. */
    private static final class Line {
        long started;
        String requestId;
        String method;
        String route;
        String path;
        String token;
        String device;
        String range;
        int status;
        long bytes;
    }

    /**
     * @param luatosPath LuatOS' path (null: off), to name the route as the download handler does
     * @param deviceApi  whether the edge fronts OneNET's device API
     */
    public EdgeAccessLog(AccessLogSettings settings, String luatosPath, boolean deviceApi) {
        this.settings = settings;
        this.luatosPath = luatosPath;
        this.deviceApi = deviceApi;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.exchanges = Exchanges.of(ctx.channel());
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse res) {
            begin(res.status().code());
        } else if (msg instanceof EncodedResponse encoded) {
            begin(encoded.status());
        }
        Line l = line;
        if (l != null) {
            l.bytes += ExchangeMeter.bodyBytes(msg);
            if (msg instanceof LastHttpContent || msg instanceof EncodedResponse r && r.isWhole()) {
                promise = promise.unvoid();
                promise.addListener(ended);
            }
        }
        ctx.write(msg, promise);
    }

    /** A response head: the answer to the oldest unanswered request (none: a refusal before any request). */
    private void begin(int status) {
        if (!settings.sampled()) {
            line = null;
            return;
        }
        Line l = new Line();
        l.status = status;
        l.started = exchanges.oldestArrival(now());
        HttpRequest req = exchanges.oldest();
        if (req != null) {
            l.requestId = RequestIds.of(req);
            l.method = req.method().name();
            Route route = Route.parse(req.uri(), luatosPath, deviceApi);
            l.route = route.kind().name().toLowerCase(java.util.Locale.ROOT);
            l.path = Redaction.path(clean(path(req.uri()), MAX_PATH));
            if (route.kind() == Route.Kind.STANDARD || route.kind() == Route.Kind.ONENET) {
                l.token = Redaction.token(route.token());
            }
            l.device = exchanges.device();
            l.range = clean(req.headers().get(HttpHeaderNames.RANGE), MAX_RANGE);
        }
        line = l;
    }

    private void ended(ChannelFuture f) {
        Line l = line;
        line = null;
        if (l == null) {
            return;
        }
        var event = log.atInfo()
                .addKeyValue("service", "edge")
                .addKeyValue("request_id", l.requestId)
                .addKeyValue("method", l.method)
                .addKeyValue("route", l.route)
                .addKeyValue("path", l.path);
        event = AccessLineEnd.optional(event, "token", l.token);
        event = AccessLineEnd.optional(event, "device", l.device);
        event = AccessLineEnd.optional(event, "range", l.range);
        AccessLineEnd.log(event, ctx.channel(), l.method, l.path, l.status, l.bytes, l.started, now(), f.isSuccess());
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }

    /** The path of a request target, absolute form included, without query or fragment. */
    static String path(String uri) {
        int start = 0;
        if (uri.startsWith("http://") || uri.startsWith("https://")) {
            int slash = uri.indexOf('/', uri.indexOf("//") + 2);
            if (slash < 0) {
                return "/";
            }
            start = slash;
        }
        int end = uri.length();
        for (int i = start; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        return uri.substring(start, end);
    }

    /** What a client chose, as a log field: at most {@code max} printable ASCII characters, no quotes or backslashes. */
    static String clean(String value, int max) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && i < max; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
        }
        return out.toString();
    }
}
