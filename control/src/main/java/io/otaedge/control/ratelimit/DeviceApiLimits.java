package io.otaedge.control.ratelimit;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.otaedge.control.access.ControlAccessLog;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.http.RequestBodies;
import java.net.InetAddress;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The device port's rate limits, in front of its routes: every call counts against its source address,
 * and a check-like call whose device id is in its query or headers also against that device. A call over
 * a limit is answered in its dialect's own words (each dialect's {@link Rule}), with {@code Retry-After},
 * never with a 5xx; other paths get {@code 429}. Dialects whose device id is in the body (OneNET's POST
 * check, Aliyun) ask the {@link DeviceRateLimiter} themselves once they have read it.
 */
public final class DeviceApiLimits {

    /** The dialect tag of calls outside every dialect's paths. */
    static final String OTHER = "other";
    static final String RETRY_AFTER = "Retry-After";

    /** How one dialect is limited: its paths, the device id of a call (null = the address limit only), its "try later". */
    public record Rule(String dialect, Predicate<String> paths, Function<HttpServerRequest, String> deviceId,
                       TooManyRequests answer) {
    }

    /** A dialect's answer to a call over its limit ({@code Retry-After} is already set). */
    @FunctionalInterface
    public interface TooManyRequests {
        Publisher<Void> send(HttpServerResponse response, Refusal refusal);
    }

    private static final TooManyRequests GENERIC = (response, refusal) ->
            JsonReply.send(response, 429, JsonReply.error("too_many_requests", refusal.message()));

    private final DeviceRateLimiter limiter;
    private final TrustedProxies proxies;
    private final List<Rule> rules;

    public DeviceApiLimits(DeviceRateLimiter limiter, TrustedProxies proxies, List<Rule> rules) {
        this.limiter = limiter;
        this.proxies = proxies;
        this.rules = List.copyOf(rules);
    }

    /** {@code next}, behind the limits. */
    public BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> wrap(
            BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> next) {
        return (request, response) -> {
            Rule rule = ruleFor(path(request.uri()));
            String dialect = rule == null ? OTHER : rule.dialect();
            String device = rule == null ? null : rule.deviceId().apply(request);
            ControlAccessLog.note(request, dialect, device);
            Refusal refusal = limiter.address(dialect, client(request));
            if (refusal == null && rule != null) {
                refusal = limiter.device(dialect, device);
            }
            if (refusal == null) {
                return next.apply(request, response);
            }
            return refuse(request, response, refusal, rule == null ? GENERIC : rule.answer());
        };
    }

    /** Answers a refused call: its body unread (the connection closes if it had one), {@code Retry-After}, the dialect's words. */
    public static Publisher<Void> refuse(HttpServerRequest request, HttpServerResponse response, Refusal refusal,
                                         TooManyRequests answer) {
        response.header(RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()));
        return RequestBodies.settleUnread(request, response).then(Mono.from(answer.send(response, refusal)));
    }

    /** The client's address: the peer's, or the device's as a trusted proxy (an edge) forwarded it. */
    public InetAddress client(HttpServerRequest request) {
        return proxies.client(request.remoteAddress(), request.requestHeaders().get(TrustedProxies.X_FORWARDED_FOR));
    }

    private Rule ruleFor(String path) {
        for (Rule r : rules) {
            if (r.paths().test(path)) {
                return r;
            }
        }
        return null;
    }

    /** The raw path of a request target (no decoding: a malformed escape must not fail here). */
    static String path(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    /** The first value of a query parameter, or null (also when the query cannot be decoded). */
    public static String queryParam(String uri, String name) {
        if (uri.indexOf('?') < 0) {
            return null;
        }
        try {
            List<String> values = new QueryStringDecoder(uri).parameters().get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }
}
