package io.otaedge.control.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import io.otaedge.common.redis.ReplicaAck;
import io.otaedge.control.audit.AuditTrail;
import io.otaedge.control.auth.ApiKeyStore;
import io.otaedge.control.auth.Caller;
import io.otaedge.control.auth.Role;
import io.otaedge.control.http.BodyWitness;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.http.StoreOutage;
import io.otaedge.control.limits.ThrottledLog;
import io.otaedge.control.ratelimit.AuthFailures;
import io.otaedge.control.ratelimit.TrustedProxies;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
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
 *
 * <p>Roles, in this one place: a route needs the role given at its registration, else by method: GET and HEAD
 * {@code viewer} (but {@code operator} for reads that hand out device credentials), DELETE {@code admin}, any
 * other write {@code operator} ({@link #needed}). A key without it gets
 * 403 {@code forbidden} naming the role. Every write and every credential read (and every refusal of one) goes to the
 * audit trail, with the client's address as the port's gate judged it ({@link ClientAddress}).
 */
public final class AdminRoutes {

    private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);
    /** A failing store (or a bug) can fail every request: at most one line per kind every 10 s. */
    private final ThrottledLog throttled = new ThrottledLog(log, ThrottledLog.INTERVAL);
    private static final String V1 = "/admin/v1";

    private final String adminKey;
    private AdminAuth auth;
    private KeyAdmin keyAdmin;
    private AuditAdmin auditAdmin;
    /** Null: writes are not audited. */
    private AuditTrail audit;
    private AdminAudit audited = AdminAudit.OFF;
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
        this.adminKey = adminKey;
        this.auth = new AdminAuth(adminKey, null);
        this.products = products;
        this.firmwares = firmwares;
        this.tasks = tasks;
        this.taskProgress = taskProgress;
        this.devices = devices;
        this.tokens = tokens;
    }

    /** API keys with roles besides the bootstrap key, and their routes ({@code /admin/v1/keys}). */
    public AdminRoutes withKeys(ApiKeyStore keys, Clock clock, int maxBody) {
        this.auth = new AdminAuth(adminKey, keys);
        this.keyAdmin = new KeyAdmin(keys, clock, maxBody);
        return this;
    }

    /** Records every admin write in {@code trail} and serves it ({@code GET /admin/v1/audit}). */
    public AdminRoutes auditing(AuditTrail trail) {
        this.audit = trail;
        this.audited = new AdminAudit(trail);
        this.auditAdmin = new AuditAdmin(trail);
        return this;
    }

    /** The operator port's gate, checking keys as these routes do and auditing failed authentications. */
    public AdminPortGuard guard(String internalSecret, AuthFailures failures, TrustedProxies proxies) {
        return new AdminPortGuard(auth, audit, internalSecret, failures, proxies);
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

    /** The dialects' admin endpoints (their product keys go when a product is deleted: {@link ProductAdmin#managing}). */
    public java.util.List<DialectAdmin> dialectAdmins() {
        return java.util.Collections.unmodifiableList(dialects);
    }

    /** Adds a dialect's admin endpoints (registered before the catch-all, behind the same key check). */
    public AdminRoutes with(DialectAdmin dialect) {
        dialects.add(dialect);
        return this;
    }

    public void register(HttpServerRoutes routes) {
        dialects.forEach(d -> d.register(routes, this::reading, this::secured));
        if (keyAdmin != null) {
            routes.post(V1 + "/keys", reading(Role.ADMIN, keyAdmin::create))
                    .get(V1 + "/keys", secured(Role.ADMIN, keyAdmin::list))
                    .delete(V1 + "/keys/{keyId}", secured(Role.ADMIN, keyAdmin::revoke));
        }
        if (auditAdmin != null) {
            routes.get(V1 + "/audit", secured(auditAdmin::list));
        }
        routes.post(V1 + "/products", reading(Role.ADMIN, products::create))
                .get(V1 + "/products", secured(products::list))
                .get(V1 + "/products/{productId}", secured(products::get))
                .route(patch(V1 + "/products/"), reading(products::update))
                .delete(V1 + "/products/{productId}", secured(products::delete))
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
                .delete(V1 + "/tokens/{token}", secured(Role.OPERATOR, tokens::revoke));
        if (edges != null) {
            routes.get(V1 + "/edges", secured(edges::list));
        }
        AllowedMethods allowed = AllowedMethods.of(routes).with(V1 + "/tasks/{taskId}", "PATCH")
                .with(V1 + "/products/{productId}", "PATCH");
        routes
                // Past the port's gate an internal path carried the internal secret, not the admin key.
                .route(request -> request.uri().startsWith("/internal/"), (request, response) -> RequestBodies.settleUnread(request, response)
                        .then(Mono.from(JsonReply.send(response, 404,
                                JsonReply.error("not_found", "no route " + request.method() + " " + request.path())))))
                .route(request -> true, secured(Role.VIEWER, request -> Mono.error(noRoute(request, allowed))));
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

    /** A handler that reads the request body itself; the role by method ({@link #needed}). */
    private BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> reading(AdminHandler handler) {
        return guarded(handler, true, null);
    }

    private BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> reading(Role role, AdminHandler handler) {
        return guarded(handler, true, role);
    }

    /** A handler that never reads the request body: the body is settled before it runs. */
    private BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> secured(AdminHandler handler) {
        return guarded(handler, false, null);
    }

    private BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> secured(Role role, AdminHandler handler) {
        return guarded(handler, false, role);
    }

    /**
     * Reads that hand out a credential devices authenticate with (a product's OneNET access key, a device key, a
     * LuatOS project key, an Aliyun token): a viewer could impersonate devices with them, so they need operator.
     */
    private static final Pattern CREDENTIAL_READS = Pattern.compile(
            "/admin/v1/products/[^/]+(/aliyun-token|/luatos-key|/onenet-devices/[^/]+/key|/xiaozhi/serials/[^/]+/key)?/?");

    /** Whether a GET of {@code path} hands out a credential ({@link #CREDENTIAL_READS}): it needs operator and is audited. */
    static boolean isCredentialRead(String path) {
        return CREDENTIAL_READS.matcher(path).matches();
    }

    /**
     * The role a route registered without one needs: reads viewer (operator for {@link #CREDENTIAL_READS}),
     * deletes admin, other writes operator.
     */
    static Role needed(HttpMethod method, String path) {
        if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) {
            return isCredentialRead(path) ? Role.OPERATOR : Role.VIEWER;
        }
        return method.equals(HttpMethod.DELETE) ? Role.ADMIN : Role.OPERATOR;
    }

    private BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> guarded(AdminHandler handler, boolean readsBody,
                                                                                      Role role) {
        return (request, response) -> Mono.deferContextual(ctx -> guarded(handler, readsBody, role, request, response,
                ctx.<Caller>getOrEmpty(Caller.class),
                ctx.<ClientAddress>getOrEmpty(ClientAddress.class).orElseGet(() -> ClientAddress.peer(request))));
    }

    private Mono<Void> guarded(AdminHandler handler, boolean readsBody, Role role, HttpServerRequest request,
                               HttpServerResponse response, Optional<Caller> known, ClientAddress from) {
        // Without the port's gate in front (it puts the caller in the context), check here.
        return known.map(Mono::just).orElseGet(() -> auth.check(request).mapNotNull(AdminAuth.Outcome::caller))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .onErrorResume(e -> Mono.just(Optional.of(STORE_DOWN)))
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        response.header("WWW-Authenticate", "Bearer");
                        return RequestBodies.settleUnread(request, response).then(Mono.from(JsonReply.send(response, 401,
                                JsonReply.error("unauthorized", "send the admin key as 'Authorization: Bearer <key>'"))));
                    }
                    Caller caller = found.get();
                    Role needed = role == null ? needed(request.method(), "/" + request.path()) : role;
                    if (caller == STORE_DOWN) {
                        return settled(request, response, new AdminReply(503,
                                JsonReply.error("store_unavailable", "the store is unavailable; retry later")));
                    }
                    if (!caller.role().covers(needed)) {
                        AdminReply forbidden = new AdminReply(403, JsonReply.error("forbidden", "this needs the " + needed.wire()
                                + " role; key '" + caller.keyId() + "' has " + caller.role().wire()));
                        audited.record(request, caller, from, forbidden, null);
                        return settled(request, response, forbidden);
                    }
                    return authorized(handler, readsBody, request, response, caller, from);
                });
    }

    /** Stands for "the key could not be checked" (Redis failed); never a real caller. */
    private static final Caller STORE_DOWN = new Caller("-", "-", Role.VIEWER);

    private static Mono<Void> settled(HttpServerRequest request, HttpServerResponse response, AdminReply reply) {
        return RequestBodies.settleUnread(request, response).then(Mono.from(send(response, reply)));
    }

    private Mono<Void> authorized(AdminHandler handler, boolean readsBody, HttpServerRequest request, HttpServerResponse response,
                                  Caller caller, ClientAddress from) {
        AtomicReference<JsonNode> body = new AtomicReference<>();
        Mono<Void> ready = readsBody ? Mono.empty() : RequestBodies.settleUnread(request, response);
        return ready.then(Mono.defer(() -> handler.handle(request)))
                .contextWrite(ctx -> ctx.put(BodyWitness.class, (BodyWitness) body::set).put(Caller.class, caller))
                .onErrorResume(e -> Mono.just(failure(request, response, e)))
                .doOnNext(reply -> audited.record(request, caller, from, reply, body.get()))
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
