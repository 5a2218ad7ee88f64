package io.otaedge.control.dialect.aliyun;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.catalog.Names;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.dialect.NullKeepingJson;
import io.otaedge.control.edge.EdgeDirectory;
import io.otaedge.control.engine.CheckOutcome;
import io.otaedge.control.device.DeviceCheck;
import io.otaedge.control.engine.DeviceCheckService;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.http.StoreOutage;
import io.otaedge.control.limits.ThrottledLog;
import io.otaedge.control.metrics.DialectMeters;
import io.otaedge.control.progress.DeviceProgress;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.progress.Transition;
import io.otaedge.control.ratelimit.DeviceRateLimiter;
import io.otaedge.control.ratelimit.Refusal;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.UpgradeMode;
import io.otaedge.control.task.UpgradeTask;
import io.otaedge.control.task.UpgradeType;
import io.otaedge.control.version.FirmwareVersion;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.util.function.Tuple2;
import reactor.util.function.Tuples;

/**
 * Aliyun Living's OTA calls, all {@code POST} with {@code {id, version, request{apiVer, iotToken}, params}}
 * and answered {@code {id, code, message, localizedMsg, data}} with HTTP 200: the progress of a device's
 * module ({@code progress/get}, {@code progress/list}), its pending firmware ({@code firmware/file/get}),
 * a user's confirmation ({@code confirm}) and the device's progress report ({@code progress/report}).
 * Translation only: decisions come from the engine, states from the engine's state machine
 * ({@link DeviceProgressService}), confirm vs forced from the task's mode.
 */
public final class AliyunHandler {

    private static final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(AliyunHandler.class), ThrottledLog.INTERVAL);
    private static final int MAX_BODY = 64 * 1024;
    private static final int MAX_CONFIRM_DEVICES = 20;
    private static final String[] FAILURE_DESC = {"", "upgrade failed", "download failed", "checksum mismatch", "flashing failed"};

    /** One call's envelope: its token (null when absent) and params (null unless an object). */
    record Call(String iotToken, JsonNode params) {
    }

    private final AliyunAuth auth;
    private final DeviceRepository devices;
    private final TaskRepository tasks;
    private final DeviceCheckService checks;
    private final DeviceProgressService progress;
    private final EdgeDirectory edges;
    private final Clock clock;
    private final DeviceRateLimiter limiter;
    private final DialectMeters meters;

    AliyunHandler(ProductRepository products, DeviceRepository devices, TaskRepository tasks,
                  DeviceCheckService checks, DeviceProgressService progress, EdgeDirectory edges, Clock clock,
                  DeviceRateLimiter limiter, DialectMeters meters) {
        this.meters = meters;
        this.limiter = limiter;
        this.auth = new AliyunAuth(products);
        this.devices = devices;
        this.tasks = tasks;
        this.checks = checks;
        this.progress = progress;
        this.edges = edges;
        this.clock = clock;
    }

    public BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> route(Function<Call, Mono<Object>> op) {
        return (request, response) -> {
            String replyId = UUID.randomUUID().toString();
            Mono<AliyunReply> reply = RequestBodies.read(request, MAX_BODY)
                    .onErrorResume(e -> {
                        response.header("Connection", "close");
                        return Mono.error(AliyunReply.parameter("the body is too large"));
                    })
                    .map(AliyunHandler::envelope)
                    .flatMap(call -> op.apply(call).map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty()))
                    .map(data -> new AliyunReply(replyId, AliyunReply.OK, null, null, data.orElse(null)))
                    .onErrorResume(e -> {
                        if (e instanceof AliyunReply.TooManyRequests t) {
                            response.status(AliyunReply.TOO_MANY_REQUESTS)
                                    .header("Retry-After", Long.toString(t.refusal().retryAfterSeconds()));
                        }
                        if (e instanceof AliyunReply.Failure f) {
                            return Mono.just(new AliyunReply(replyId, f.code(), f.getMessage(), f.localized(), null));
                        }
                        log.warning(request.path(), "Aliyun " + request.path() + " failed", e);
                        if (StoreOutage.is(e)) {
                            return Mono.just(new AliyunReply(replyId, AliyunReply.UNAVAILABLE, "service not available.", "服务不可用", null));
                        }
                        return Mono.just(new AliyunReply(replyId, AliyunReply.INTERNAL, "internal error.", "服务器内部错误", null));
                    });
            return reply.flatMap(r -> Mono.from(JsonReply.sendBytes(response,
                    r.code() == AliyunReply.TOO_MANY_REQUESTS ? AliyunReply.TOO_MANY_REQUESTS : 200, NullKeepingJson.bytes(r))));
        };
    }

    /** {@code /living/ota/progress/get}: the device's progress in the module's newest task that concerns it. */
    public Mono<Object> progressGet(Call call) {
        return limited(call).flatMap(device -> {
            String module = module(call.params());
            String firmwareVersion = optionalVersion(call.params(), "firmwareVersion");
            String currentVersion = optionalVersion(call.params(), "currentVersion");
            if (firmwareVersion == null && !Firmware.DEFAULT_MODULE.equals(module)) {
                throw AliyunReply.parameter("firmwareVersion is required for a module other than default");
            }
            Mono<Void> report = currentVersion == null ? Mono.empty()
                    : progress.reportVersion(device.productKey(), device.deviceName(), module, currentVersion)
                            .doOnNext(this::countCompleted).then();
            return report.then(moduleVersion(device, module, currentVersion))
                    .map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty())
                    .flatMap(version -> current(device, module, firmwareVersion)
                            // No row yet: the engine may have something for the device's version.
                            .switchIfEmpty(Mono.defer(() -> version.isEmpty() ? Mono.empty()
                                    : check(device, module, version.get()).then(current(device, module, firmwareVersion))))
                            .flatMap(tr -> progress.withServedBytes(tr.getT2(), tr.getT1().firmware())
                                    .map(p -> AliyunProgressView.of(device, module, version.orElse(null), tr.getT1(), p))));
        });
    }

    /**
     * {@code /living/ota/firmware/file/get}: the firmware pending for the device's module, with an edge URL. This is
     * Aliyun's device check, counted by outcome.
     */
    public Mono<Object> fileGet(Call call) {
        return pendingFile(call)
                .doOnSuccess(data -> meters.check(data == null ? DialectMeters.Outcome.NO_TASK : DialectMeters.Outcome.UPGRADE))
                .doOnError(e -> meters.check(e instanceof AliyunReply.Failure ? DialectMeters.Outcome.REJECTED
                        : DialectMeters.Outcome.ERROR));
    }

    private Mono<Object> pendingFile(Call call) {
        return limited(call).flatMap(device -> {
            String module = module(call.params());
            String currentVersion = optionalVersion(call.params(), "currentVersion");
            return moduleVersion(device, module, currentVersion)
                    .switchIfEmpty(Mono.error(() -> AliyunReply.parameter("currentVersion is required: the device never reported one")))
                    .flatMap(version -> check(device, module, version))
                    .flatMap(offer -> Mono.zip(progress.taskProgress(device.productKey(), device.deviceName(), offer.task().id())
                                    .map(DeviceProgress::state)
                                    .defaultIfEmpty(DeviceTaskState.TO_BE_UPGRADED), edges.downloadUrl(offer.grant().token()))
                            .map(su -> {
                                DeviceTaskState state = su.getT1();
                                Map<String, Object> data = new LinkedHashMap<>();
                                data.put("iotId", device.iotId());
                                data.put("moduleName", module);
                                data.put("version", offer.grant().version());
                                data.put("size", Long.toString(offer.grant().size()));
                                data.put("sign", offer.grant().md5());
                                data.put("signMethod", "MD5");
                                data.put("url", su.getT2());
                                data.put("status", AliyunProgressView.status(state));
                                return data;
                            }));
        });
    }

    /** {@code /living/ota/progress/list}: the device's progress in every task that concerns it, newest first. */
    public Mono<Object> progressList(Call call) {
        return limited(call).flatMap(device ->
                devices.find(device.productKey(), device.deviceName()).defaultIfEmpty(Map.of()).flatMap(fields ->
                        progress.history(device.productKey(), device.deviceName())
                                .concatMap(p -> tasks.find(p.taskId()).map(t -> AliyunProgressView.of(device, p.module(),
                                        fields.get(DeviceRepository.moduleVersionField(p.module())), t, p)))
                                .collectList()
                                .map(list -> (Object) list)));
    }

    /** {@code /living/ota/confirm}: a user confirmed the upgrade of up to 20 devices. */
    public Mono<Object> confirm(Call call) {
        JsonNode list = call.params() == null ? null : call.params().get("devices");
        // The token opens the product of the list's first device; a list that names none opens nothing.
        JsonNode first = list != null && list.isArray() && !list.isEmpty() ? list.get(0) : null;
        return auth.product(call.iotToken(), first).flatMapMany(productKey -> {
            if (list.size() > MAX_CONFIRM_DEVICES) {
                throw AliyunReply.parameter("at most " + MAX_CONFIRM_DEVICES + " devices");
            }
            List<AliyunIdentity> ids = new ArrayList<>();
            for (JsonNode d : list) {
                ids.add(identity(d.isTextual() ? Json.mapper().createObjectNode().put("iotId", d.asText()) : d));
            }
            if (ids.stream().anyMatch(i -> !i.productKey().equals(productKey))) {
                throw AliyunReply.forbidden();
            }
            String module = module(call.params());
            String firmwareVersion = optionalVersion(call.params(), "firmwareVersion");
            return Flux.fromIterable(ids).concatMap(device -> current(device, module, firmwareVersion)
                    // Only a CONFIRM task waits for a user; a forced one needs no confirmation.
                    .filter(tr -> tr.getT1().spec().offer().mode() == UpgradeMode.CONFIRM)
                    .flatMap(tr -> progress.confirm(productKey, device.deviceName(), tr.getT1().id())));
        }).then(Mono.empty());
    }

    /** {@code /living/ota/progress/report}: step (a string) 0..100 while upgrading, -1..-4 on failure. */
    public Mono<Object> progressReport(Call call) {
        return authorized(call).flatMap(device -> {
            String module = module(call.params());
            String firmwareVersion = optionalVersion(call.params(), "firmwareVersion");
            if (firmwareVersion == null) {
                throw AliyunReply.parameter("firmwareVersion is required");
            }
            int step = step(call.params().get("step"));
            JsonNode d = call.params().get("desc");
            String desc = d == null || d.isNull() ? "" : d.asText();
            if (desc.isEmpty() && step < 0) {
                desc = FAILURE_DESC[-step];
            }
            String text = desc;
            meters.progressReport();
            // The state machine's rule for a percentage: below 100 downloading, 100 upgrading, negative failed.
            return current(device, module, firmwareVersion)
                    .switchIfEmpty(Mono.error(() -> AliyunReply.parameter("no upgrade to " + firmwareVersion + " for this device")))
                    .flatMap(tr -> progress.reportStep(device.productKey(), device.deviceName(), tr.getT1().id(), step, text))
                    .filter(t -> t.outcome() != Transition.Outcome.NOT_IN_TASK)
                    .switchIfEmpty(Mono.error(() -> AliyunReply.parameter("no upgrade to " + firmwareVersion + " for this device")))
                    .then(Mono.empty());
        });
    }

    private Mono<CheckOutcome.Offer> check(AliyunIdentity device, String module, String version) {
        return checks.check(new DeviceCheck(device.productKey(), device.deviceName(), UpgradeType.FOTA, version,
                        null, null, null, null, module, null))
                .doOnNext(outcome -> {
                    if (outcome.completedTask()) {
                        meters.progressReport();
                    }
                })
                .filter(CheckOutcome.Offer.class::isInstance)
                .cast(CheckOutcome.Offer.class);
    }

    /** A version the device reported completed its task there: that is a progress report too. */
    private void countCompleted(List<Transition> moves) {
        if (moves.stream().anyMatch(Transition::completed)) {
            meters.progressReport();
        }
    }

    /** The device's most recently offered task of the module (with this target, when given) and its standing there. */
    private Mono<Tuple2<UpgradeTask, DeviceProgress>> current(AliyunIdentity device, String module, String firmwareVersion) {
        return progress.history(device.productKey(), device.deviceName())
                .filter(p -> module.equals(p.module()) && (firmwareVersion == null || FirmwareVersion.same(p.targetVersion(), firmwareVersion)))
                .next()
                .flatMap(p -> tasks.find(p.taskId()).map(t -> Tuples.of(t, p)));
    }

    private Mono<String> moduleVersion(AliyunIdentity device, String module, String reported) {
        if (reported != null) {
            return Mono.just(reported);
        }
        return devices.find(device.productKey(), device.deviceName())
                .mapNotNull(f -> f.get(DeviceRepository.moduleVersionField(module)));
    }

    /** The token first (403, see {@link AliyunAuth}), then the params' identity checked strictly (460). */
    private Mono<AliyunIdentity> authorized(Call call) {
        return auth.product(call.iotToken(), call.params()).map(productKey -> identity(call.params()));
    }

    /**
     * {@link #authorized} and within the device's rate limit: the device id is in the body, so it is counted
     * here rather than in front of the routes. Progress reports are not counted (the device paces them, at most
     * one per 3 s as the Link SDK documents); the address limit covers every call.
     */
    private Mono<AliyunIdentity> limited(Call call) {
        return authorized(call).map(device -> {
            Refusal refusal = limiter.device(AliyunDialect.NAME, device.productKey() + "/" + device.deviceName());
            if (refusal != null) {
                throw new AliyunReply.TooManyRequests(refusal);
            }
            return device;
        });
    }

    /**
     * The envelope's token and params, as far as they can be read: a body that is not a JSON object carries no
     * token, and params that are not an object name no device; both end in 403, since the token is judged first.
     */
    static Call envelope(byte[] body) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            return new Call(null, null);
        }
        JsonNode request = root.get("request");
        JsonNode params = root.get("params");
        if (params != null && !params.isObject()) {
            params = null;
        }
        String token = request != null && request.isObject() && request.path("iotToken").isTextual()
                ? request.get("iotToken").asText() : null;
        return new Call(token, params);
    }

    /** iotId wins over productKey + deviceName when both are given, as the seed says. */
    static AliyunIdentity identity(JsonNode params) {
        String iotId = text(params, "iotId");
        if (iotId != null && !iotId.isEmpty()) {
            AliyunIdentity id = AliyunIdentity.ofIotId(iotId);
            if (id == null) {
                throw AliyunReply.parameter("unknown iotId");
            }
            return id;
        }
        String productKey = text(params, "productKey");
        String deviceName = text(params, "deviceName");
        if (productKey == null || productKey.isEmpty() || deviceName == null || deviceName.isEmpty()) {
            throw AliyunReply.parameter("iotId, or productKey and deviceName, are required");
        }
        if (!Names.isProductId(productKey) || !Names.isDeviceId(deviceName)) {
            throw AliyunReply.parameter("productKey or deviceName is malformed");
        }
        return new AliyunIdentity(productKey, deviceName);
    }

    /** moduleName, {@code default} when empty; a module other than default needs a firmwareVersion. */
    static String module(JsonNode params) {
        String module = text(params, "moduleName");
        if (module == null || module.isEmpty()) {
            return Firmware.DEFAULT_MODULE;
        }
        if (!Names.isModule(module)) {
            throw AliyunReply.parameter("moduleName is malformed");
        }
        return module;
    }

    private static String optionalVersion(JsonNode params, String field) {
        String v = text(params, field);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (!Names.isVersion(v)) {
            throw AliyunReply.parameter(field + " is malformed");
        }
        return v;
    }

    private static int step(JsonNode n) {
        if (n == null || n.isNull() || !(n.isTextual() || n.isIntegralNumber())) {
            throw AliyunReply.parameter("step is required, a string holding an integer from -4 to 100");
        }
        try {
            int step = Integer.parseInt(n.asText().trim());
            if (step >= -4 && step <= 100) {
                return step;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw AliyunReply.parameter("step must be an integer from -4 to 100");
    }

    private static String text(JsonNode params, String field) {
        JsonNode n = params.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw AliyunReply.parameter(field + " must be a string");
        }
        return n.asText();
    }
}
