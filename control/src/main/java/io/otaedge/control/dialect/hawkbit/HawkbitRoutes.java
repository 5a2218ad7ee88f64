package io.otaedge.control.dialect.hawkbit;

import io.otaedge.common.json.Json;
import io.otaedge.control.catalog.Names;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.http.StoreOutage;
import io.otaedge.control.limits.LimitReplies;
import io.otaedge.control.limits.ThrottledLog;
import io.otaedge.control.ratelimit.DeviceApiLimits;
import java.util.Optional;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * hawkBit's DDI paths under {@code /{tenant}/controller/v1/{controllerId}}, and the one place that turns a call
 * into its reply: the body read (bounded), the tenant's settings and the token judged ({@link HawkbitAuth}), then
 * the resource ({@link HawkbitController}); a value becomes 200 with JSON, nothing 200 with an empty body, an
 * error hawkBit's {@code ExceptionInfo} ({@link HawkbitError}).
 */
public final class HawkbitRoutes {

    private static final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(HawkbitRoutes.class), ThrottledLog.INTERVAL);
    static final String BASE = "/{tenant}/controller/v1/{controllerId}";
    private static final String CONTROLLER_PATH = "/controller/v1/";
    private static final byte[] NO_BODY = new byte[0];

    /** One DDI resource: the authorized call, the action number (-1 when the path has none) and the body read. */
    @FunctionalInterface
    interface Resource {
        Mono<Object> answer(HawkbitCall call, long actionId, byte[] body);
    }

    private final HawkbitController controller;
    private final HawkbitStore store;
    private final HawkbitAuth auth;
    private final int maxBody;

    HawkbitRoutes(HawkbitController controller, HawkbitStore store, int maxBody) {
        this.controller = controller;
        this.store = store;
        this.auth = new HawkbitAuth(store);
        this.maxBody = maxBody;
    }

    void register(HttpServerRoutes routes) {
        routes.get(BASE, route((c, id, b) -> controller.poll(c), false))
                .get(BASE + "/deploymentBase/{actionId}", route((c, id, b) -> controller.deploymentBase(c, id), false))
                .post(BASE + "/deploymentBase/{actionId}/feedback", route(controller::deploymentFeedback, true))
                .put(BASE + "/configData", route((c, id, b) -> controller.configData(c, b), true))
                .get(BASE + "/cancelAction/{actionId}", route((c, id, b) -> controller.cancelAction(c, id), false))
                .post(BASE + "/cancelAction/{actionId}/feedback", route(controller::cancelFeedback, true))
                .get(BASE + "/installedBase/{actionId}", route((c, id, b) -> controller.installedBase(c, id), false));
    }

    BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> route(Resource resource, boolean readsBody) {
        return (request, response) -> {
            Mono<byte[]> body = readsBody
                    ? RequestBodies.read(request, maxBody).onErrorMap(e -> {
                        response.header("Connection", "close"); // the rest of the body is unread
                        return e instanceof ApiException a && a.status() == 413 ? HawkbitError.tooLarge(a.getMessage())
                                : HawkbitError.badBody(e.getMessage());
                    })
                    : RequestBodies.settleUnread(request, response).thenReturn(NO_BODY);
            Mono<Object> answer = body.flatMap(bytes -> call(request).flatMap(call -> Mono.defer(() ->
                    resource.answer(call, actionId(request.param("actionId")), bytes))));
            return answer.map(value -> JsonReply.sendBytes(response, 200, Json.bytes(value)))
                    .defaultIfEmpty(Mono.defer(() -> response.status(200).header(JsonReply.CONTENT_LENGTH, "0").send()))
                    .onErrorResume(e -> Mono.just(error(request, response, e)))
                    .flatMap(Mono::from);
        };
    }

    /** The tenant's settings and the token judged; a tenant or controller id that cannot exist never opens anything. */
    private Mono<HawkbitCall> call(HttpServerRequest request) {
        String productId = request.param("tenant");
        String deviceId = request.param("controllerId");
        if (!Names.isProductId(productId)) {
            return Mono.error(HawkbitError.unauthorized());
        }
        boolean validDevice = Names.isDeviceId(deviceId);
        return store.settings(productId).flatMap(settings ->
                auth.check(settings, productId, validDevice ? deviceId : null, request.requestHeaders().get("Authorization"))
                        .then(Mono.fromCallable(() -> {
                            if (!validDevice) {
                                throw HawkbitError.notFound("no controller '" + abbreviated(deviceId) + "'");
                            }
                            return new HawkbitCall(productId, deviceId, settings, origin(settings, request));
                        })));
    }

    private static String origin(HawkbitSettings settings, HttpServerRequest request) {
        if (settings.baseUrl() != null) {
            return settings.baseUrl();
        }
        String host = request.requestHeaders().get("Host");
        if (host == null || host.isBlank()) {
            host = request.hostAddress() == null ? "localhost" : request.hostAddress().getHostString() + ":" + request.hostAddress().getPort();
        }
        return "http://" + host;
    }

    private static Publisher<Void> error(HttpServerRequest request, HttpServerResponse response, Throwable e) {
        HawkbitError he;
        if (e instanceof HawkbitError h) {
            he = h;
            if (h.refusal() != null) {
                response.header("Retry-After", Long.toString(h.refusal().retryAfterSeconds()));
            }
        } else if (StoreOutage.is(e)) {
            he = HawkbitError.unavailable();
            response.header("Retry-After", Integer.toString(StoreOutage.RETRY_AFTER_SECONDS));
        } else {
            log.warning(request.path(), "hawkBit " + request.method() + " " + request.path() + " failed", e);
            he = HawkbitError.internal();
        }
        return JsonReply.sendBytes(response, he.status(), Json.bytes(he.info()));
    }

    /** An action number; -1 (no such action) for anything but a positive integer. */
    static long actionId(String s) {
        if (s == null || s.isEmpty() || s.length() > 18) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(s);
    }

    private static String abbreviated(String s) {
        return s == null ? "" : s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    static boolean isDdiPath(String path) {
        int slash = path.indexOf('/', 1);
        return path.startsWith("/") && slash > 1 && path.startsWith(CONTROLLER_PATH, slash);
    }

    /** What the gate refuses on DDI paths, in hawkBit's words: 400 for a malformed target, else the refusal's 4xx. */
    static Optional<LimitReplies.Reply> gateReply(String path, int status, boolean malformed, String message) {
        if (!isDdiPath(path)) {
            return Optional.empty();
        }
        HawkbitError e = status == 413 ? HawkbitError.tooLarge(message) : HawkbitError.badBody(message);
        return Optional.of(new LimitReplies.Reply(malformed ? 400 : status, Json.bytes(e.info())));
    }

    /**
     * The DDI limits: a poll ({@code GET} of the controller base) counts against its controller id; the follow-ups
     * of a poll (deploymentBase, cancelAction) and the feedback and configData calls only against the address, as
     * the other dialects' progress reports. Over a limit: 429 with {@code ExceptionInfo} and {@code Retry-After}.
     */
    static DeviceApiLimits.Rule limitRule() {
        return new DeviceApiLimits.Rule(HawkbitDialect.NAME, HawkbitRoutes::isDdiPath, request -> {
            if (!"GET".equals(request.method().name())) {
                return null;
            }
            String path = request.fullPath();
            String[] parts = path.split("/", -1);
            // "", tenant, "controller", "v1", controllerId
            return parts.length == 5 ? parts[1] + "/" + parts[4] : null;
        }, (response, refusal) -> JsonReply.sendBytes(response, 429, Json.bytes(HawkbitError.tooManyRequests(refusal).info())));
    }
}
