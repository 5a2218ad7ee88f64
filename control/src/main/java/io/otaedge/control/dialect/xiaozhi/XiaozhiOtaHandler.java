package io.otaedge.control.dialect.xiaozhi;

import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.edge.EdgeDirectory;
import io.otaedge.control.engine.CheckOutcome;
import io.otaedge.control.device.DeviceCheck;
import io.otaedge.control.engine.DeviceCheckService;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.http.StoreOutage;
import io.otaedge.control.limits.ThrottledLog;
import io.otaedge.control.metrics.DialectMeters;
import io.otaedge.control.task.UpgradeMode;
import io.otaedge.control.task.UpgradeType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * xiaozhi's {@code POST /v1/ota/} (and {@code GET}, see {@link #handleGet}): validate, check the
 * {@code default} module through the engine, and answer with {@code server_time}, {@code activation} (until
 * the device is activated, with {@code timeout_ms}), {@code firmware}, the product's {@code websocket} block
 * or the deployment's default ({@link XiaozhiDefaults}), and the product's {@code mqtt} block when it has one. Without an upgrade {@code firmware.version}
 * is the device's own version and there is no {@code url}: devices compare versions themselves. An
 * offer the device would not take by that comparison (a rollback, a re-flash) carries {@code force: 1}
 * when its task is forced ({@code COMPELLENT}); a {@code CONFIRM} task leaves the choice to the device.
 */
public final class XiaozhiOtaHandler {

    private static final Logger log = LoggerFactory.getLogger(XiaozhiOtaHandler.class);
    private static final ThrottledLog failures = new ThrottledLog(log, ThrottledLog.INTERVAL);
    static final int MAX_BODY = 64 * 1024;
    static final String STORE_FAILED = "Failed to read device auto_update status";

    private final ProductRepository products;
    private final DeviceCheckService checks;
    private final XiaozhiStore store;
    private final EdgeDirectory edges;
    private final Clock clock;
    private final XiaozhiDefaults defaults;
    private final DialectMeters meters;

    XiaozhiOtaHandler(ProductRepository products, DeviceCheckService checks, XiaozhiStore store,
                      EdgeDirectory edges, Clock clock, XiaozhiDefaults defaults, DialectMeters meters) {
        this.meters = meters;
        this.products = products;
        this.checks = checks;
        this.store = store;
        this.edges = edges;
        this.clock = clock;
        this.defaults = defaults;
    }

    public Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        Mono<Object[]> reply = RequestBodies.read(request, MAX_BODY)
                .onErrorResume(e -> {
                    response.header("Connection", "close"); // the rest of an oversized body is unread
                    return Mono.error(new XiaozhiRequest.Invalid(XiaozhiRequest.INVALID));
                })
                .map(body -> XiaozhiRequest.parse(request.requestHeaders(), body))
                .flatMap(this::answer)
                .map(body -> new Object[] {200, body})
                .doOnError(this::countFailure);
        return send(response, reply, "OTA");
    }

    /** {@code GET /v1/ota/}: the same answer, for a firmware without system information (no body to read). */
    public Publisher<Void> handleGet(HttpServerRequest request, HttpServerResponse response) {
        Mono<Object[]> reply = Mono.fromCallable(() -> XiaozhiRequest.fromHeaders(request.requestHeaders()))
                .flatMap(this::answer)
                .map(body -> new Object[] {200, body})
                .doOnError(this::countFailure);
        return send(response, reply, "OTA");
    }

    private void countFailure(Throwable e) {
        meters.check(e instanceof XiaozhiRequest.Invalid ? DialectMeters.Outcome.REJECTED : DialectMeters.Outcome.ERROR);
    }

    /**
     * One check counted by what the device is told (an offer it cannot parse is no upgrade); a check on the
     * target version that completed the device's task is also its progress report, xiaozhi's only one.
     */
    private void count(CheckOutcome outcome, String url) {
        meters.check(outcome instanceof CheckOutcome.Offer && !url.isEmpty() ? DialectMeters.Outcome.UPGRADE
                : DialectMeters.Outcome.NO_TASK);
        if (outcome.completedTask()) {
            meters.progressReport();
        }
    }

    private Mono<Map<String, Object>> answer(XiaozhiRequest r) {
        return products.exists(r.productId()).flatMap(exists -> {
            if (!exists) {
                return Mono.error(new XiaozhiRequest.Invalid(XiaozhiRequest.INVALID));
            }
            // Device-Id is the device's MAC address: MAC-range filters apply to it.
            DeviceCheck check = new DeviceCheck(r.productId(), r.deviceId(), UpgradeType.FOTA, r.version(),
                    null, r.boardType(), r.rssi(), null, Firmware.DEFAULT_MODULE, r.deviceId());
            // An edge is picked only for an offer: a pick counts as one more connection on that edge.
            Mono<Map.Entry<CheckOutcome, String>> offer = checks.check(check).flatMap(outcome ->
                    outcome instanceof CheckOutcome.Offer o && readable(o, r)
                            ? edges.downloadUrl(o.grant().token()).map(url -> Map.entry(outcome, url))
                            : Mono.just(Map.entry(outcome, "")));
            return Mono.zip(store.config(r.productId()), store.activation(r.productId(), r.deviceId(), r.signed(), r.serialNumber()), offer)
                    .doOnNext(t -> count(t.getT3().getKey(), t.getT3().getValue()))
                    .map(t -> body(t.getT1(), t.getT2(), t.getT3().getKey(), t.getT3().getValue(), r));
        });
    }

    /**
     * Whether the device can read the offered version: one its {@code ParseVersion} throws on would abort it
     * on every check ({@link XiaozhiVersion}), so such an offer is answered as no upgrade.
     */
    private static boolean readable(CheckOutcome.Offer offer, XiaozhiRequest r) {
        if (XiaozhiVersion.readable(offer.grant().version())) {
            return true;
        }
        log.warn("xiaozhi: not offering version '{}' of product {} to {}: the firmware cannot parse it",
                offer.grant().version(), r.productId(), r.deviceId());
        return false;
    }

    private Map<String, Object> body(XiaozhiConfig config, XiaozhiStore.Activation activation, CheckOutcome outcome,
                                     String url, XiaozhiRequest r) {
        Map<String, Object> body = new LinkedHashMap<>();
        Instant now = clock.instant();
        String zone = config.timeZone() == null ? XiaozhiConfig.DEFAULT_TIME_ZONE : config.timeZone();
        Map<String, Object> time = new LinkedHashMap<>();
        time.put("timestamp", now.toEpochMilli());
        time.put("timeZone", zone);
        time.put("timezone_offset", ZoneId.of(zone).getRules().getOffset(now).getTotalSeconds() / 60);
        body.put("server_time", time);
        if (!activation.activated()) {
            Map<String, Object> act = new LinkedHashMap<>();
            act.put("code", activation.code());
            act.put("message", config.activationUrl() == null ? activation.code()
                    : config.activationUrl() + "\n" + activation.code());
            act.put("challenge", activation.challenge());
            act.put("timeout_ms", config.activationTimeout());
            body.put("activation", act);
        }
        Map<String, Object> firmware = new LinkedHashMap<>();
        if (outcome instanceof CheckOutcome.Offer offer && !url.isEmpty()) {
            firmware.put("version", offer.grant().version());
            firmware.put("url", url);
            if (offer.task().spec().offer().mode() == UpgradeMode.COMPELLENT && !XiaozhiVersion.isNewer(offer.grant().version(), r.version())) {
                firmware.put("force", 1);
            }
        } else {
            firmware.put("version", r.version());
        }
        body.put("firmware", firmware);
        // Always a websocket block: without it (and without mqtt) the firmware reaches no chat server.
        body.put("websocket", config.websocket() != null ? config.websocket() : defaults.websocket());
        if (config.mqtt() != null) {
            body.put("mqtt", config.mqtt());
        }
        return body;
    }

    /** Sends {status, body}; a validation failure is 400 with the seed's text, anything else the seed's 500. */
    static Publisher<Void> send(HttpServerResponse response, Mono<Object[]> reply, String what) {
        return reply.onErrorResume(e -> {
                    if (e instanceof XiaozhiRequest.Invalid invalid) {
                        return Mono.just(new Object[] {400, Map.of("error", invalid.getMessage())});
                    }
                    if (e instanceof XiaozhiActivateHandler.Refused refused) {
                        return Mono.just(new Object[] {refused.status(), Map.of("error", refused.getMessage())});
                    }
                    failures.warning(what, "xiaozhi " + what + " failed", e);
                    if (StoreOutage.is(e)) {
                        // The seed's 500 is this dialect's "try later": the firmware retries any non-200 with doubling
                        // delays. Retry-After tells other callers how long a store restart takes.
                        response.header("Retry-After", Integer.toString(StoreOutage.RETRY_AFTER_SECONDS));
                    }
                    return Mono.just(new Object[] {500, Map.of("error", STORE_FAILED)});
                })
                .flatMap(r -> Mono.from(JsonReply.send(response, (Integer) r[0], r[1])));
    }
}
