package io.otaedge.control.dialect.onenet;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.otaedge.common.json.Json;
import io.otaedge.control.edge.EdgeDirectory;
import io.otaedge.control.engine.CheckOutcome;
import io.otaedge.control.device.DeviceCheck;
import io.otaedge.control.engine.DeviceCheckService;
import io.otaedge.control.engine.NoUpgradeReason;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.http.StoreOutage;
import io.otaedge.control.limits.ThrottledLog;
import io.otaedge.control.metrics.DialectMeters;
import io.otaedge.control.ratelimit.DeviceRateLimiter;
import io.otaedge.control.ratelimit.Refusal;
import io.otaedge.control.task.Jitter;
import java.io.IOException;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * OneNET's {@code /ota/south/check}, as the seed's JSON POST and as the documented GET with a query.
 * Translation only: authenticate, validate, ask {@link DeviceCheckService}, map the outcome to an
 * errno. Every answer is HTTP 200 with the OneNET envelope; the errno carries the meaning.
 */
public final class OneNetCheckHandler {

    private static final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(OneNetCheckHandler.class), ThrottledLog.INTERVAL);
    /** A check body is a handful of fields; anything larger is not a OneNET device. */
    private static final int MAX_BODY = 16 * 1024;
    /** The seed's data.type: 1 = complete package, 2 = differential package. */
    private static final int COMPLETE_PACKAGE = 1;
    private static final int DIFFERENTIAL_PACKAGE = 2;
    /** The seed documents its request body with {@code //} comments; a body copied from it is read as meant. */
    private static final ObjectReader BODY = Json.mapper().reader().with(JsonReadFeature.ALLOW_JAVA_COMMENTS.mappedFeature());

    private final OneNetAuthenticator authenticator;
    private final DeviceCheckService checks;
    private final EdgeDirectory edges;
    private final String edgePublicIpAddress;
    private final DialectMeters meters;
    private final DeviceRateLimiter limiter;

    /**
     * @param edges               the live, least-loaded edge for devices that resolve names ({@code cdn=true})
     * @param edgePublicIpAddress the edge's IP address and port for those that cannot ({@code cdn=false}) when
     *                            the picked edge registered a host name rather than an IP address
     */
    OneNetCheckHandler(OneNetAuthenticator authenticator, DeviceCheckService checks, EdgeDirectory edges,
                       String edgePublicIpAddress, DialectMeters meters, DeviceRateLimiter limiter) {
        this.limiter = limiter;
        this.authenticator = authenticator;
        this.meters = meters;
        this.checks = checks;
        this.edges = edges;
        this.edgePublicIpAddress = edgePublicIpAddress;
    }

    public Publisher<Void> post(HttpServerRequest request, HttpServerResponse response) {
        // The body is read first, whatever the outcome: an answer sent before it was read would
        // leave its bytes on a kept-alive connection. It is small and bounded.
        String authorization = request.requestHeaders().get("Authorization");
        Mono<OneNetReply> reply = RequestBodies.read(request, MAX_BODY)
                .map(body -> Mono.fromSupplier(() -> parseJson(body)))
                .flatMap(parsed -> handle(authorization, parsed.map(r -> withinLimit(r, response))))
                .onErrorResume(e -> {
                    // Too large (or the client went away): the rest of the body is unread, so close.
                    response.header("Connection", "close");
                    return Mono.just(OneNetReply.error(OneNetErrno.BAD_PARAMETERS));
                });
        return reply(response, reply);
    }

    public Publisher<Void> get(HttpServerRequest request, HttpServerResponse response) {
        Mono<OneNetCheckRequest> parsed = Mono.fromSupplier(() -> OneNetCheckRequest.fromQuery(Query.parse(request.uri())));
        return reply(response, RequestBodies.settleUnread(request, response)
                .then(handle(request.requestHeaders().get("Authorization"), parsed)));
    }

    /** The POST check's device limit: its {@code dev_id} is in the body (the GET's is counted in front of the routes). */
    private OneNetCheckRequest withinLimit(OneNetCheckRequest request, HttpServerResponse response) {
        Refusal refusal = limiter.device(OneNetDialect.NAME, Long.toString(request.devId()));
        if (refusal != null) {
            response.header("Retry-After", Long.toString(refusal.retryAfterSeconds()));
            throw new OverLimit(refusal);
        }
        return request;
    }

    /** A POST check over its device's limit: answered errno 7 with the retry time, as in front of the routes. */
    private static final class OverLimit extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Refusal refusal;

        OverLimit(Refusal refusal) {
            super(refusal.message(), null, false, false);
            this.refusal = refusal;
        }
    }

    private Mono<OneNetReply> handle(String authorization, Mono<OneNetCheckRequest> request) {
        // Authenticate before looking at the body: an unauthenticated caller learns nothing else.
        return authenticator.authenticate(authorization)
                .flatMap(p -> request.flatMap(r -> checks.check(new DeviceCheck(p.productId(), Long.toString(r.devId()),
                                r.type(), r.version(), r.manuf(), r.model(), r.signals(), r.powers()))
                        .doOnNext(this::countReport)
                        .flatMap(outcome -> toReply(outcome, r.cdn()))))
                .defaultIfEmpty(OneNetReply.error(OneNetErrno.AUTH_FAILED))
                .onErrorResume(OneNetCheckRequest.Invalid.class, e -> Mono.just(OneNetReply.error(e.errno())))
                .onErrorResume(OverLimit.class, e -> Mono.just(OneNetRoutes.tooManyRequests(e.refusal)))
                .onErrorResume(e -> {
                    // OneNET has one code for a server-side failure, 7; devices treat any errno but 0 as "no task
                    // now" and check again at their next period, which is what a store outage needs.
                    if (StoreOutage.is(e)) {
                        meters.redisError();
                    }
                    log.warning("check", "OneNET check failed", e);
                    return Mono.just(OneNetReply.error(OneNetErrno.INTERNAL));
                });
    }

    /** A check on the target version of the device's task completed it: that is the device's progress report. */
    private void countReport(CheckOutcome outcome) {
        if (outcome.completedTask()) {
            meters.progressReport();
        }
    }

    private Mono<OneNetReply> toReply(CheckOutcome outcome, boolean cdn) {
        if (outcome instanceof CheckOutcome.Offer offer) {
            var hints = offer.task().spec().hints();
            var g = offer.grant();
            boolean differential = differential(offer);
            return edges.pick().map(edge -> OneNetReply.success(new OneNetReply.TaskData(g.version(), g.token(), g.size(),
                    g.md5(), hints.signal(), hints.power(), hints.retry(),
                    Jitter.around(hints.interval(), offer.task().id(), g.deviceId()), cdn || isIpAddress(edge) ? edge : edgePublicIpAddress,
                    differential ? DIFFERENTIAL_PACKAGE : COMPLETE_PACKAGE)));
        }
        return Mono.just(OneNetReply.error(errnoOf(((CheckOutcome.Refused) outcome).reason())));
    }

    /**
     * Whether the token serves a differential package. The grant, not the offer's package, says what the
     * token serves: a still-valid token issued earlier (for another package, e.g. a delta since withdrawn)
     * is handed out again. A grant of the offered package has that package's kind; any other grant is
     * differential exactly when it is not of the task's own firmware.
     */
    static boolean differential(CheckOutcome.Offer offer) {
        String granted = offer.grant().firmwareId();
        if (offer.pkg().id().equals(granted)) {
            return offer.pkg().differential();
        }
        return !offer.task().firmware().id().equals(granted);
    }

    /** {@code host:port} whose host is an IPv4 or bracketed IPv6 literal: usable without name resolution. */
    public static boolean isIpAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon > 0 ? hostPort.substring(0, colon) : hostPort;
        return host.startsWith("[") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    /** OneNET distinguishes three refusals; every other reason is "no task for this device" (11). */
    static OneNetErrno errnoOf(NoUpgradeReason reason) {
        return switch (reason) {
            case MANUF_MODEL_MISMATCH -> OneNetErrno.MANUF_MODEL_MISMATCH;
            case VERSION_MISMATCH -> OneNetErrno.VERSION_MISMATCH;
            case NO_DELTA_PACKAGE -> OneNetErrno.NO_DELTA_PACKAGE;
            default -> OneNetErrno.NO_TASK;
        };
    }

    private static OneNetCheckRequest parseJson(byte[] body) {
        JsonNode node;
        try {
            node = BODY.readTree(body);
        } catch (IOException e) {
            throw invalid("the body is not valid JSON");
        }
        return OneNetCheckRequest.fromJson(node);
    }

    private static OneNetCheckRequest.Invalid invalid(String message) {
        return OneNetCheckRequest.invalid(message);
    }

    private Publisher<Void> reply(HttpServerResponse response, Mono<OneNetReply> reply) {
        return reply.doOnNext(r -> meters.check(outcome(r.errno())))
                .flatMap(r -> Mono.from(JsonReply.send(response, 200, r)));
    }

    static DialectMeters.Outcome outcome(int errno) {
        if (errno == OneNetErrno.SUCCESS.code()) {
            return DialectMeters.Outcome.UPGRADE;
        }
        if (errno == OneNetErrno.NO_TASK.code()) {
            return DialectMeters.Outcome.NO_TASK;
        }
        return errno == OneNetErrno.INTERNAL.code() ? DialectMeters.Outcome.ERROR : DialectMeters.Outcome.REJECTED;
    }

    /** Minimal query-string parsing; devices order parameters freely. */
    static final class Query {
        private Query() {
        }

        /** A query Netty cannot decode (a broken %-escape) reads as empty: the call is then refused with errno 2. */
        static Map<String, String> parse(String uri) {
            Map<String, java.util.List<String>> parameters;
            try {
                parameters = new io.netty.handler.codec.http.QueryStringDecoder(uri).parameters();
            } catch (IllegalArgumentException malformed) {
                return Map.of();
            }
            return parameters.entrySet().stream()
                    .filter(e -> !e.getValue().isEmpty())
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0)));
        }
    }
}
