package io.otaedge.control.admin;

import io.otaedge.common.luatos.LuatosDecisionApi;
import io.otaedge.control.audit.AuditEntry;
import io.otaedge.control.audit.AuditTrail;
import io.otaedge.control.auth.Caller;
import io.otaedge.control.console.ConsoleRoutes;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.ratelimit.AuthFailures;
import io.otaedge.control.ratelimit.Refusal;
import io.otaedge.control.ratelimit.TrustedProxies;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The operator port's one gate, in front of every route: {@code /internal/…} needs the internal secret,
 * everything else but {@code /metrics}, {@code /health/*} and the console's static files ({@code /console/…}) the admin key (both compared in constant time).
 * A failure is {@code 401} and counts against its address ({@link AuthFailures}); an address past its limit
 * gets {@code 429} with {@code Retry-After} whatever key it sends. A failed admin key is logged (address, path,
 * the API key's id when one was presented; never the key) and recorded in the audit trail. The caller a key
 * stands for goes on in the Reactor context ({@link Caller}), where the routes check its role, and so does the client's
 * address as judged here ({@link ClientAddress}), which the audit trail records.
 */
public final class AdminPortGuard {

    private static final Set<String> OPEN = Set.of("/metrics", "/health/live", "/health/ready");
    private static final String INTERNAL = "/internal/";
    /** The key could not be checked: Redis did not answer. */
    private static final AdminAuth.Outcome STORE_DOWN = new AdminAuth.Outcome(null, null);

    private final AdminAuth adminKey;
    /** Null: failed authentications are not audited. */
    private final AuditTrail audit;
    /** Null when {@code OTA_INTERNAL_SECRET} is unset: then no request reaches an internal route. */
    private final byte[] internalSecret;
    private final AuthFailures failures;
    private final TrustedProxies proxies;

    public AdminPortGuard(String adminKey, String internalSecret, AuthFailures failures, TrustedProxies proxies) {
        this(new AdminAuth(adminKey, null), null, internalSecret, failures, proxies);
    }

    AdminPortGuard(AdminAuth adminKey, AuditTrail audit, String internalSecret, AuthFailures failures, TrustedProxies proxies) {
        this.adminKey = adminKey;
        this.audit = audit;
        this.internalSecret = internalSecret == null ? null : internalSecret.getBytes(StandardCharsets.UTF_8);
        this.failures = failures;
        this.proxies = proxies;
    }

    public BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> wrap(
            BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> next) {
        return (request, response) -> {
            String path = path(request.uri());
            if (OPEN.contains(path) || ConsoleRoutes.isConsolePath(path)) {
                return next.apply(request, response);
            }
            InetAddress address = proxies.client(request.remoteAddress(),
                    request.requestHeaders().get(TrustedProxies.X_FORWARDED_FOR));
            Refusal locked = failures.locked(address);
            if (locked != null) {
                response.header("Retry-After", Long.toString(locked.retryAfterSeconds()));
                return answer(request, response, 429, "too_many_requests",
                        "too many failed authentications from this address, retry in " + locked.retryAfterSeconds() + " s");
            }
            if (path.startsWith(INTERNAL)) {
                if (secretMatches(request.requestHeaders().get(LuatosDecisionApi.SECRET_HEADER))) {
                    return next.apply(request, response);
                }
                failures.failed(address, true, path, null);
                return answer(request, response, 401, "unauthorized",
                        "send the internal secret as '" + LuatosDecisionApi.SECRET_HEADER + "'");
            }
            return adminKey.check(request).onErrorResume(e -> Mono.just(STORE_DOWN)).flatMap(outcome -> {
                if (outcome.allowed()) {
                    return Mono.from(next.apply(request, response)).contextWrite(ctx -> ctx.put(Caller.class, outcome.caller())
                            .put(ClientAddress.class, ClientAddress.of(address)));
                }
                if (outcome == STORE_DOWN) {
                    return Mono.from(answer(request, response, 503, "store_unavailable",
                            "keys cannot be checked while the store is unavailable; retry later"));
                }
                failures.failed(address, false, path, outcome.presentedId());
                if (audit != null) {
                    audit.record(new AuditEntry(audit.clock().instant(), outcome.presentedId() == null ? "-" : outcome.presentedId(),
                            "-", request.method().name(), path, Map.of(), 401,
                            address == null ? "unknown" : address.getHostAddress(), null));
                }
                response.header("WWW-Authenticate", "Bearer");
                return Mono.from(answer(request, response, 401, "unauthorized",
                        "send the admin key as 'Authorization: Bearer <key>'"));
            });
        };
    }

    private boolean secretMatches(String given) {
        return internalSecret != null && given != null
                && MessageDigest.isEqual(internalSecret, given.getBytes(StandardCharsets.UTF_8));
    }

    private static Publisher<Void> answer(HttpServerRequest request, HttpServerResponse response, int status, String code,
                                          String message) {
        return RequestBodies.settleUnread(request, response)
                .then(Mono.from(JsonReply.send(response, status, JsonReply.error(code, message))));
    }

    /** The raw path of a request target, without its query; a path in absolute form keeps its scheme (and so matches nothing open). */
    static String path(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }
}
