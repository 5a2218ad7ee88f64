package io.otaedge.control.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.otaedge.common.redis.ReplicaAck;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.http.StoreOutage;
import io.otaedge.control.limits.ThrottledLog;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The native admin API's routing table. Every route, the catch-all included, checks the bearer key
 * first; every failure leaves as {@code {"error","message"}} JSON with its status, never a stack trace.
 */
public final class AdminRoutes {

    private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);
    /** A failing store (or a bug) can fail every request: at most one line per kind every 10 s. */
    private final ThrottledLog throttled = new ThrottledLog(log, ThrottledLog.INTERVAL);
    private static final String V1 = "/admin/v1";

    private final AdminAuth auth;
    private final ProductAdmin products;
    private final FirmwareAdmin firmwares;
    private final TaskLifecycleAdmin tasks;
    private final TaskProgressView taskProgress;
    private final DeviceAdmin devices;
    private final TokenAdmin tokens;
    private Runnable onRedisError = () -> { };
    private ReplicaAck replicas;
    private final java.util.List<DialectAdmin> dialects = new java.util.ArrayList<>();
    private EdgeAdmin edges;

    public AdminRoutes(String adminKey, ProductAdmin products, FirmwareAdmin firmwares, TaskLifecycleAdmin tasks,
                       TaskProgressView taskProgress, DeviceAdmin devices, TokenAdmin tokens) {
        this.auth = new AdminAuth(adminKey);
        this.products = products;
        this.firmwares = firmwares;
        this.tasks = tasks;
        this.taskProgress = taskProgress;
        this.devices = devices;
        this.tokens = tokens;
    }

    /** Counts the admin requests that failed because Redis did ({@code ota_control_redis_errors_total}). */
    public AdminRoutes countingRedisErrors(Runnable counter) {
        this.onRedisError = counter;
        return this;
    }

    /**
     * After every admin write that succeeded, waits until a replica of each Redis master has it (a failover then
     * keeps it) and says how many did in {@code X-OTA-Replicas}; 0 is logged. On one node nothing is waited for.
     */
    public AdminRoutes waitingForReplicas(ReplicaAck ack) {
        this.replicas = ack;
        return this;
    }

    /** Answers {@code GET /admin/v1/edges} from the edge registry (unset: the path is a 404 like any unknown one). */
    public AdminRoutes listingEdges(EdgeAdmin edges) {
        this.edges = edges;
        return this;
    }

    /** Adds a dialect's admin endpoints (registered before the catch-all, behind the same key check). */
    public AdminRoutes with(DialectAdmin dialect) {
        dialects.add(dialect);
        return this;
    }

    public void register(HttpServerRoutes routes) {
        dialects.forEach(d -> d.register(routes, this::reading, this::secured));
        routes.post(V1 + "/products", reading(products::create))
                .get(V1 + "/products", secured(products::list))
                .get(V1 + "/products/{productId}", secured(products::get))
                .post(V1 + "/products/{productId}/firmwares", reading(firmwares::upload))
                .get(V1 + "/products/{productId}/firmwares", secured(firmwares::list))
                .get(V1 + "/products/{productId}/firmwares/{firmwareId}", secured(firmwares::get))
                .delete(V1 + "/products/{productId}/firmwares/{firmwareId}", secured(firmwares::delete))
                .put(V1 + "/products/{productId}/firmwares/{firmwareId}/status", reading(firmwares::setStatus))
                .post(V1 + "/products/{productId}/tasks", reading(tasks::create))
                .get(V1 + "/products/{productId}/tasks", secured(tasks::list))
                .get(V1 + "/tasks", secured(tasks::listAll))
                .get(V1 + "/tasks/{taskId}", secured(tasks::get))
                .route(patch(V1 + "/tasks/"), reading(tasks::edit))
                .get(V1 + "/tasks/{taskId}/progress", secured(taskProgress::progress))
                .post(V1 + "/tasks/{taskId}/start", secured(tasks::start))
                .post(V1 + "/tasks/{taskId}/pause", secured(tasks::pause))
                .post(V1 + "/tasks/{taskId}/resume", secured(tasks::resume))
                .post(V1 + "/tasks/{taskId}/stop", secured(tasks::stop))
                .post(V1 + "/tasks/{taskId}/advance", reading(tasks::advance))
                .get(V1 + "/products/{productId}/devices", secured(devices::list))
                .get(V1 + "/products/{productId}/devices/{deviceId}", secured(devices::get))
                .delete(V1 + "/tokens/{token}", secured(tokens::revoke));
        if (edges != null) {
            routes.get(V1 + "/edges", secured(edges::list));
        }
        AllowedMethods allowed = AllowedMethods.of(routes).with(V1 + "/tasks/{taskId}", "PATCH");
        routes
                // Past the port's gate an internal path carried the internal secret, not the admin key.
                .route(request -> request.uri().startsWith("/internal/"), (request, response) -> RequestBodies.settleUnread(request, response)
                        .then(Mono.from(JsonReply.send(response, 404,
                                JsonReply.error("not_found", "no route " + request.method() + " " + request.path())))))
                .route(request -> true, secured(request -> Mono.error(noRoute(request, allowed))));
    }

    /**
     * reactor-netty has no PATCH route (its method predicate is not public): PATCH on {@code prefix} + one path
     * segment, the handler reading that segment itself ({@link AdminRequests#lastSegment}).
     */
    private static java.util.function.Predicate<HttpServerRequest> patch(String prefix) {
        String p = prefix.substring(1);
        return r -> r.method().equals(HttpMethod.PATCH) && r.path().startsWith(p) && r.path().length() > p.length()
                && r.path().indexOf('/', p.length()) < 0;
    }

    /** A 405 naming the methods when the path is known (RFC 9110 15.5.6), else a 404. */
    private static ApiException noRoute(HttpServerRequest request, AllowedMethods allowed) {
        String allow = allowed.allow("/" + request.path());
        if (allow.isEmpty()) {
            return ApiException.notFound("not_found", "no route " + request.method() + " " + request.path());
        }
        return new MethodNotAllowed(request.method().name(), "/" + request.path(), allow);
    }

    /** A handler that reads the request body itself. */
    private BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> reading(AdminHandler handler) {
        return guarded(handler, true);
    }

    /** A handler that never reads the request body: the body is settled before it runs. */
    private BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> secured(AdminHandler handler) {
        return guarded(handler, false);
    }

    private BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> guarded(AdminHandler handler, boolean readsBody) {
        return (request, response) -> {
            if (!auth.allows(request)) {
                response.header("WWW-Authenticate", "Bearer");
                return RequestBodies.settleUnread(request, response).then(Mono.from(JsonReply.send(response, 401,
                        JsonReply.error("unauthorized", "send the admin key as 'Authorization: Bearer <key>'"))));
            }
            Mono<Void> ready = readsBody ? Mono.empty() : RequestBodies.settleUnread(request, response);
            return ready.then(Mono.defer(() -> handler.handle(request)))
                    .onErrorResume(e -> Mono.just(failure(request, response, e)))
                    .flatMap(reply -> {
                        if (readsBody && reply.status() >= 400) {
                            if (RequestBodies.hasBody(request)) {
                                // The error may have come before (or while) the body was read.
                                response.header("Connection", "close");
                            } else {
                                // Refused before reading an announced-empty body (an upload with
                                // Content-Length: 0): settle it, or the next request on this
                                // kept-alive connection waits forever. A handler that did read it
                                // already consumed the inbound, and a second receive is refused.
                                return request.receive().then().onErrorResume(IllegalStateException.class, e -> Mono.empty())
                                        .then(Mono.from(send(response, reply)));
                            }
                        }
                        return replicated(request, response, reply).then(Mono.from(send(response, reply)));
                    });
        };
    }

    /** For a write that succeeded: the replicas' confirmation, as a header (see {@link #waitingForReplicas}). */
    private Mono<Void> replicated(HttpServerRequest request, HttpServerResponse response, AdminReply reply) {
        if (replicas == null || reply.status() >= 300 || request.method().equals(HttpMethod.GET)
                || request.method().equals(HttpMethod.HEAD)) {
            return Mono.empty();
        }
        return Mono.fromCompletionStage(replicas::await).doOnNext(n -> n.ifPresent(count -> {
            response.header("X-OTA-Replicas", Integer.toString(count));
            if (count == 0) {
                log.warn("admin {} {}: no Redis replica confirmed the write within {} ms; a failover now may lose it",
                        request.method(), request.path(), ReplicaAck.TIMEOUT.toMillis());
            }
        })).then();
    }

    private static Publisher<Void> send(HttpServerResponse response, AdminReply reply) {
        if (reply.body() == null) {
            return response.status(reply.status()).send();
        }
        return JsonReply.send(response, reply.status(), reply.body());
    }

    private AdminReply failure(HttpServerRequest request, HttpServerResponse response, Throwable e) {
        if (e instanceof MethodNotAllowed wrong) {
            response.header("Allow", wrong.allow());
        }
        if (e instanceof ApiException api) {
            return new AdminReply(api.status(), JsonReply.error(api.code(), api.getMessage()));
        }
        if (StoreOutage.is(e)) {
            onRedisError.run();
            throttled.warning("redis", "admin " + request.method() + " /" + request.path() + ": Redis failed", e);
            return new AdminReply(503, JsonReply.error("store_unavailable", "the store is unavailable; retry later"));
        }
        throttled.serverError("internal", "admin " + request.method() + " /" + request.path() + " failed", e);
        return new AdminReply(500, JsonReply.error("internal", "the request could not be completed; see the server log"));
    }
}
