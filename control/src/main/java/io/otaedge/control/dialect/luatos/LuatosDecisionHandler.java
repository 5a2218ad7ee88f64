package io.otaedge.control.dialect.luatos;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.otaedge.common.luatos.LuatosDecisionApi;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.dialect.Hmacs;
import io.otaedge.control.engine.CheckOutcome;
import io.otaedge.control.device.DeviceCheck;
import io.otaedge.control.engine.DeviceCheckService;
import io.otaedge.control.engine.NoUpgradeReason;
import io.otaedge.control.access.ControlAccessLog;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.limits.ThrottledLog;
import io.otaedge.control.metrics.DialectMeters;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.UpgradeTask;
import io.otaedge.control.task.UpgradeType;
import io.otaedge.control.ratelimit.DeviceRateLimiter;
import io.otaedge.control.ratelimit.Refusal;
import io.otaedge.control.ratelimit.TrustedProxies;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code GET /internal/v1/luatos/decision?<the device's query>} on the operator port, for the edge only
 * ({@code X-OTA-Internal-Secret}). LuatOS' one GET both decides and downloads, and the edge serves it:
 * it forwards the query here and gets {@code {"upgrade":true,"grant":{…}}} (the device's token grant for
 * the {@code default} module, reused across its ranged retries) or {@code {"upgrade":false,"status",
 * "reason"}} with a status {@code >= 300} and a Luat code as the reason.
 *
 * <p>A device resumes a broken download by repeating its request with {@code Range: bytes=N-}; the edge
 * then adds {@code X-OTA-Resume: N} (the device's query stays as it was). A resume is answered with the
 * grant the device was downloading while that grant is valid and its task still runs and is unfinished
 * for the device ({@link DeviceCheckService#resume}), even when a newer task applies meanwhile: N bytes
 * of one image followed by another image's tail would be flashed as one. Otherwise, and for every
 * fresh request (no Range, or one from byte 0), the decision is the usual one, so a newer task takes
 * over from the next full download.
 */
public final class LuatosDecisionHandler {

    private static final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(LuatosDecisionHandler.class),
            ThrottledLog.INTERVAL);

    private final ProductRepository products;
    private final TaskRepository tasks;
    private final DeviceCheckService checks;
    private final DeviceRateLimiter limiter;
    private final DialectMeters meters;

    LuatosDecisionHandler(ProductRepository products, TaskRepository tasks, DeviceCheckService checks, DeviceRateLimiter limiter,
                          DialectMeters meters) {
        this.limiter = limiter;
        this.meters = meters;
        this.products = products;
        this.tasks = tasks;
        this.checks = checks;
    }

    /** The project_key a product's devices send: {@code hex(HMAC-SHA256(base64decode(accessKey), "luatos:" + productId))}. */
    public static String projectKey(String accessKeyBase64, String productId) {
        return Hmacs.productCredential("HmacSHA256", accessKeyBase64, "luatos:" + productId);
    }

    /** Runs behind the internal secret ({@link io.otaedge.control.internal.InternalRoutes}). */
    Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        boolean resume = isResume(request.requestHeaders().get(LuatosDecisionApi.RESUME_HEADER));
        // The peer is the edge: the device's address is the last hop the edge forwarded (trusted, since the
        // call carries the secret). Without one, only the device's own limit applies.
        InetAddress device = TrustedProxies.lastHop(request.requestHeaders().get(TrustedProxies.X_FORWARDED_FOR));
        Mono<Map<String, Object>> reply = RequestBodies.settleUnread(request, response)
                .then(Mono.fromSupplier(() -> LuatosRequest.parse(parameters(request.uri()))))
                .flatMap(r -> {
                    ControlAccessLog.note(request, LuatosDialect.NAME, r.productId() + "/" + r.deviceId());
                    Refusal refusal = limiter.address(LuatosDialect.NAME, device);
                    if (refusal == null) {
                        refusal = limiter.device(LuatosDialect.NAME, r.productId() + "/" + r.deviceId());
                    }
                    return refusal == null ? decide(r, resume) : Mono.just(tooManyRequests(refusal));
                })
                .onErrorResume(LuatosRequest.Refused.class, e -> Mono.just(refusal(e.code(), e.getMessage())));
        return reply.doOnNext(this::count)
                .doOnError(e -> meters.check(DialectMeters.Outcome.ERROR))
                .flatMap(body -> Mono.from(JsonReply.send(response, 200, body)))
                .onErrorResume(e -> {
                    log.warning("decision", "LuatOS decision failed", e);
                    return Mono.from(JsonReply.send(response, 503, JsonReply.error("store_unavailable", "retry later")));
                });
    }

    /** The query's parameters; a broken %-escape is the device's error (400), not the store's (503). */
    private static Map<String, java.util.List<String>> parameters(String uri) {
        try {
            return new QueryStringDecoder(uri).parameters();
        } catch (IllegalArgumentException malformed) {
            throw new LuatosRequest.Refused(LuatosCode.INVALID_FIRMWARE, "the query has a malformed %-escape");
        }
    }

    /** Whether the edge's resume header names a first byte past 0; anything else is a fresh request. */
    static boolean isResume(String header) {
        if (header == null) {
            return false;
        }
        try {
            return Long.parseLong(header.trim()) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private Mono<Map<String, Object>> decide(LuatosRequest r, boolean resume) {
        return products.findCached(r.productId())
                .map(p -> Hmacs.hexEquals(projectKey(p.accessKey(), r.productId()), r.projectKey()))
                .defaultIfEmpty(false)
                .flatMap(allowed -> {
                    if (!allowed) {
                        // Unknown project and wrong key look the same to the caller.
                        return Mono.just(refusal(LuatosCode.NO_PERMISSION, LuatosCode.NO_PERMISSION.reason(null)));
                    }
                    return moduleOf(r).flatMap(module -> decide(r, module, resume));
                });
    }

    /**
     * The catalog module a device's image comes from: its board platform ({@code <bsp>} of
     * {@code firmware_name}) when one of the product's tasks targets a module of that name, so boards of
     * several platforms in one project each get their own image; {@code default} otherwise.
     */
    private Mono<String> moduleOf(LuatosRequest r) {
        if (r.bsp() == null) {
            return Mono.just(Firmware.DEFAULT_MODULE);
        }
        return tasks.newestFirstCached(r.productId()).map(list -> list.stream().map(UpgradeTask::module)
                .filter(m -> m.equalsIgnoreCase(r.bsp())).findFirst().orElse(Firmware.DEFAULT_MODULE));
    }

    private Mono<Map<String, Object>> decide(LuatosRequest r, String module, boolean resume) {
        DeviceCheck check = new DeviceCheck(r.productId(), r.deviceId(), UpgradeType.FOTA, r.version(),
                null, null, null, null, module, null);
        Mono<Map<String, Object>> fresh = Mono.defer(() -> checks.check(check).doOnNext(this::countReport).map(outcome -> {
            if (outcome instanceof CheckOutcome.Offer offer) {
                return upgrade(offer.grant());
            }
            NoUpgradeReason reason = ((CheckOutcome.Refused) outcome).reason();
            LuatosCode code = codeOf(reason);
            return refusal(code, code.reason(code == LuatosCode.UPGRADE_FORBIDDEN ? detail(reason) : null));
        }));
        return resume ? checks.resume(check).map(LuatosDecisionHandler::upgrade).switchIfEmpty(fresh) : fresh;
    }

    /**
     * One decision, one check: an upgrade, "no upgrade" (up to date, or no task lets this device have one), or
     * rejected (bad project key, malformed request, over its limit).
     */
    private void count(Map<String, Object> body) {
        Object code = body.get("code");
        meters.check(Boolean.TRUE.equals(body.get("upgrade")) ? DialectMeters.Outcome.UPGRADE
                : Integer.valueOf(LuatosCode.ALREADY_LATEST.code()).equals(code)
                        || Integer.valueOf(LuatosCode.UPGRADE_FORBIDDEN.code()).equals(code) ? DialectMeters.Outcome.NO_TASK
                : DialectMeters.Outcome.REJECTED);
    }

    /** libfota sends no progress: a device asking on the target version of its task completed it, its one report. */
    private void countReport(CheckOutcome outcome) {
        if (outcome.completedTask()) {
            meters.progressReport();
        }
    }

    /**
     * A device over its limit: 429, which libfota reads as "no upgrade" like any status {@code >= 300} (never a
     * 200 it would flash); the script asks again on its own timer.
     */
    static Map<String, Object> tooManyRequests(Refusal refusal) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("upgrade", false);
        body.put("status", 429);
        body.put("reason", "429 " + refusal.message());
        return body;
    }

    private static Map<String, Object> upgrade(TokenGrant grant) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("upgrade", true);
        body.put("grant", grant);
        return body;
    }

    /** The Luat code of each reason the engine gives: up to date is 27, every other refusal 21 with its detail. */
    static LuatosCode codeOf(NoUpgradeReason reason) {
        return switch (reason) {
            case ALREADY_UP_TO_DATE, NEWER_THAN_TARGET -> LuatosCode.ALREADY_LATEST;
            case VERSION_UNORDERED, NO_TASK, NOT_ENROLLED, OUTSIDE_WINDOW, NOT_IN_ROLLOUT, RATE_HELD, MAINTENANCE_WINDOW, RETRY_WAIT,
                 RETRIES_EXHAUSTED, SOURCE_VERSION_EXCLUDED, FIRMWARE_NOT_RELEASED,
                 SIGNAL_TOO_WEAK, BATTERY_TOO_LOW, MANUF_MODEL_MISMATCH, VERSION_MISMATCH, NO_DELTA_PACKAGE ->
                    LuatosCode.UPGRADE_FORBIDDEN;
        };
    }

    /** The reason in words for the refusal's body ({@code "21 no upgrade for this device: not in rollout"}); null for NO_TASK. */
    static String detail(NoUpgradeReason reason) {
        return reason == NoUpgradeReason.NO_TASK ? null : reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    private static Map<String, Object> refusal(LuatosCode code, String reason) {
        return refusal(code, code.status(), reason);
    }

    /** A refusal with {@code code}'s number and the given status (the gate's refusals carry their own). */
    static Map<String, Object> refusal(LuatosCode code, int status, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("upgrade", false);
        body.put("status", status);
        body.put("code", code.code());
        body.put("reason", reason);
        return body;
    }
}
