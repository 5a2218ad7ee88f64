package io.otaedge.control.dialect.fog;

import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.catalog.Names;
import io.otaedge.control.edge.EdgeDirectory;
import io.otaedge.control.engine.CheckOutcome;
import io.otaedge.control.device.DeviceCheck;
import io.otaedge.control.engine.DeviceCheckService;
import io.otaedge.control.engine.NoUpgradeReason;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.metrics.DialectMeters;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.task.UpgradeType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * FOG's device calls. {@code GET /api/v1/ota/device/?product_id&wifi_version&mcu_version} checks the
 * {@code mcu} and {@code wifi} modules through the engine and lists zero, one or two files whose
 * {@code file_url} is an edge download URL. The seed's check names no device; an optional
 * {@code device_id} (or {@code mac}) identifies it (for {@code mac_range} and a per-device token);
 * without one the device is {@code fog-anonymous} and shares one token per product and file. In a
 * product whose catalog has no {@code mcu} task, the MCU image is the product's single ({@code default})
 * image, so a mixed fleet of dialects shares one task.
 * {@code PUT /api/v1/ota/version/} records the versions, which completes the device's tasks (a progress report).
 */
public final class FogDeviceHandler {

    public static final String ANONYMOUS = "fog-anonymous";
    private static final int MAX_BODY = 16 * 1024;

    private final FogAuth auth;
    private final FogStore store;
    private final DeviceCheckService checks;
    private final DeviceProgressService progress;
    private final EdgeDirectory edges;
    private final DialectMeters meters;

    FogDeviceHandler(FogAuth auth, FogStore store, DeviceCheckService checks, DeviceProgressService progress,
                     EdgeDirectory edges, DialectMeters meters) {
        this.meters = meters;
        this.progress = progress;
        this.auth = auth;
        this.store = store;
        this.checks = checks;
        this.edges = edges;
    }

    public Publisher<Void> check(HttpServerRequest request, HttpServerResponse response) {
        // The token before the parameters, as on every FOG call: a caller without it learns nothing of them.
        Mono<FogReply> reply = RequestBodies.settleUnread(request, response)
                .then(auth.product(FogFilesHandler.authorization(request))).flatMap(tokenProduct -> {
            FogParams q = FogParams.form(request.uri());
            String productId = q.required("product_id");
            if (!productId.equals(tokenProduct)) {
                throw FogAuth.unauthorized();
            }
            String wifi = version(q.required("wifi_version"), "wifi_version");
            String mcu = version(q.required("mcu_version"), "mcu_version");
            String deviceId = deviceId(q.optional("device_id") != null ? q.optional("device_id") : q.optional("mac"));
            return file(productId, deviceId, "mcu", mcu)
                    .zipWith(file(productId, deviceId, "wifi", wifi), (m, w) -> {
                        List<Map<String, Object>> files = new ArrayList<>(2);
                        m.ifPresent(files::add);
                        w.ifPresent(files::add);
                        Map<String, Object> data = new LinkedHashMap<>();
                        meters.check(files.isEmpty() ? DialectMeters.Outcome.NO_TASK : DialectMeters.Outcome.UPGRADE);
                        data.put("need_ota", !files.isEmpty());
                        data.put("files", files);
                        return FogReply.ok("ota file info", data);
                    });
        }).doOnError(e -> meters.check(e instanceof FogReply.Failure ? DialectMeters.Outcome.REJECTED : DialectMeters.Outcome.ERROR));
        return FogHttp.send(response, reply, "device check");
    }

    public Publisher<Void> version(HttpServerRequest request, HttpServerResponse response) {
        String contentType = request.requestHeaders().get("Content-Type");
        Mono<FogReply> reply = RequestBodies.read(request, MAX_BODY)
                .onErrorResume(e -> {
                    response.header("Connection", "close");
                    return Mono.error(FogReply.parameter("请求体过大 (the body is too large)"));
                })
                // The token before the parameters, as on every FOG call that names no product in its path.
                .flatMap(b -> auth.product(FogFilesHandler.authorization(request)).map(pid -> Map.entry(pid, FogParams.body(contentType, b))))
                .flatMap(pb -> {
                    String pid = pb.getKey();
                    FogParams p = pb.getValue();
                    String deviceId = deviceId(p.required("device_id"));
                    String wifi = version(p.required("wifi_version"), "wifi_version");
                    String mcu = version(p.required("mcu_version"), "mcu_version");
                    meters.progressReport();
                    // The MCU image is the default image where the product has no mcu module (see above).
                    return progress.reportVersion(pid, deviceId, "mcu", mcu)
                            .then(progress.reportVersion(pid, deviceId, Firmware.DEFAULT_MODULE, mcu))
                            .then(progress.reportVersion(pid, deviceId, "wifi", wifi));
                })
                .thenReturn(FogReply.ok("update version ok", Map.of()));
        return FogHttp.send(response, reply, "version report");
    }

    private Mono<java.util.Optional<Map<String, Object>>> file(String productId, String deviceId, String module, String version) {
        Mono<CheckOutcome> asked = checks.check(moduleCheck(productId, deviceId, module, version));
        if ("mcu".equals(module)) {
            asked = asked.flatMap(outcome -> outcome instanceof CheckOutcome.Refused no && no.reason() == NoUpgradeReason.NO_TASK
                    ? checks.check(moduleCheck(productId, deviceId, Firmware.DEFAULT_MODULE, version)) : Mono.just(outcome));
        }
        return asked.doOnNext(outcome -> {
            if (outcome.completedTask()) {
                meters.progressReport(); // the device's version, checked, completed its task
            }
        }).flatMap(outcome -> {
            if (!(outcome instanceof CheckOutcome.Offer offer)) {
                return Mono.just(java.util.Optional.<Map<String, Object>>empty());
            }
            Mono<String> customizeOf = store.byTask(productId, offer.task().id()).map(FogFile::customize).defaultIfEmpty("");
            return Mono.zip(customizeOf, edges.downloadUrl(offer.grant().token())).map(cu -> {
                String customize = cu.getT1();
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("file_url", cu.getT2());
                f.put("md5", offer.grant().md5());
                f.put("version", offer.grant().version());
                f.put("ota_type", "wifi".equals(module) ? 1 : 0);
                f.put("customize", customize);
                return java.util.Optional.of(f);
            });
        });
    }

    private static DeviceCheck moduleCheck(String productId, String deviceId, String module, String version) {
        return new DeviceCheck(productId, deviceId, UpgradeType.FOTA, version, null, null, null, null, module, null);
    }

    private static String version(String v, String field) {
        if (!Names.isVersion(v)) {
            throw FogReply.parameter(field + "格式错误 (" + field + " must match [A-Za-z0-9_.-]{1,20})");
        }
        return v;
    }

    private static String deviceId(String raw) {
        if (raw == null || raw.isBlank()) {
            return ANONYMOUS;
        }
        String id = raw.trim().toLowerCase(Locale.ROOT);
        if (!Names.isDeviceId(id)) {
            throw FogReply.parameter("device_id格式错误 (device_id must match [A-Za-z0-9_.:-]{1,64})");
        }
        return id;
    }
}
