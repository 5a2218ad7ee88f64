package io.otaedge.control.dialect.xiaozhi;

import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.edge.EdgeDirectory;
import io.otaedge.control.engine.CheckOutcome;
import io.otaedge.control.engine.DeviceCheck;
import io.otaedge.control.engine.DeviceCheckService;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.http.RequestBodies;
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
 * xiaozhi's {@code POST /v1/ota/}: validate, check the {@code default} module through the engine, and
 * answer with {@code server_time}, {@code activation} (until the device is activated), {@code firmware}
 * and the product's {@code websocket}/{@code mqtt} blocks. Without an upgrade {@code firmware.version}
 * is the device's own version and there is no {@code url}: devices compare versions themselves. An
 * offer the device would not take by that comparison (a rollback, a re-flash) carries {@code force: 1}
 * when its task is forced ({@code COMPELLENT}); a {@code CONFIRM} task leaves the choice to the device.
 */
public final class XiaozhiOtaHandler {

    private static final Logger log = LoggerFactory.getLogger(XiaozhiOtaHandler.class);
    static final int MAX_BODY = 64 * 1024;
    static final String STORE_FAILED = "Failed to read device auto_update status";

    private final ProductRepository products;
    private final DeviceCheckService checks;
    private final XiaozhiStore store;
    private final EdgeDirectory edges;
    private final Clock clock;

    public XiaozhiOtaHandler(ProductRepository products, DeviceCheckService checks, XiaozhiStore store,
                             EdgeDirectory edges, Clock clock) {
        this.products = products;
        this.checks = checks;
        this.store = store;
        this.edges = edges;
        this.clock = clock;
    }

    public Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        Mono<Object[]> reply = RequestBodies.read(request, MAX_BODY)
                .onErrorResume(e -> {
                    response.header("Connection", "close"); // the rest of an oversized body is unread
                    return Mono.error(new XiaozhiRequest.Invalid(XiaozhiRequest.INVALID));
                })
                .map(body -> XiaozhiRequest.parse(request.requestHeaders(), body))
                .flatMap(this::answer)
                .map(body -> new Object[] {200, body});
        return send(response, reply, "OTA");
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
                    outcome instanceof CheckOutcome.Offer o
                            ? edges.downloadUrl(o.grant().token()).map(url -> Map.entry(outcome, url))
                            : Mono.just(Map.entry(outcome, "")));
            return Mono.zip(store.config(r.productId()), store.activation(r.productId(), r.deviceId(), r.signed(), r.serialNumber()), offer)
                    .map(t -> body(t.getT1(), t.getT2(), t.getT3().getKey(), t.getT3().getValue(), r));
        });
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
            body.put("activation", act);
        }
        Map<String, Object> firmware = new LinkedHashMap<>();
        if (outcome instanceof CheckOutcome.Offer offer) {
            firmware.put("version", offer.grant().version());
            firmware.put("url", url);
            if (offer.task().mode() == UpgradeMode.COMPELLENT && !XiaozhiVersion.isNewer(offer.grant().version(), r.version())) {
                firmware.put("force", 1);
            }
        } else {
            firmware.put("version", r.version());
        }
        body.put("firmware", firmware);
        if (config.websocket() != null) {
            body.put("websocket", config.websocket());
        }
        if (config.mqtt() != null) {
            body.put("mqtt", config.mqtt());
        }
        return body;
    }

    /** Sends {status, body}; a validation failure is 400 with the seed's text, anything else 500. */
    static Publisher<Void> send(HttpServerResponse response, Mono<Object[]> reply, String what) {
        return reply.onErrorResume(e -> {
                    if (e instanceof XiaozhiRequest.Invalid invalid) {
                        return Mono.just(new Object[] {400, Map.of("error", invalid.getMessage())});
                    }
                    if (e instanceof XiaozhiActivateHandler.Refused refused) {
                        return Mono.just(new Object[] {refused.status(), Map.of("error", refused.getMessage())});
                    }
                    log.warn("xiaozhi {} failed: {}", what, e.toString());
                    return Mono.just(new Object[] {500, Map.of("error", STORE_FAILED)});
                })
                .flatMap(r -> Mono.from(JsonReply.send(response, (Integer) r[0], r[1])));
    }
}
