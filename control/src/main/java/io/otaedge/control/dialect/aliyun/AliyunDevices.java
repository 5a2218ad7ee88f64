package io.otaedge.control.dialect.aliyun;

import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.device.DeviceCheck;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.engine.CheckOutcome;
import io.otaedge.control.engine.DeviceCheckService;
import io.otaedge.control.metrics.DialectMeters;
import io.otaedge.control.progress.DeviceProgress;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.ratelimit.DeviceRateLimiter;
import io.otaedge.control.ratelimit.Refusal;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.UpgradeTask;
import io.otaedge.control.task.UpgradeType;
import io.otaedge.control.version.FirmwareVersion;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;
import reactor.util.function.Tuples;

/**
 * What every Aliyun call needs first: the caller's device (token, identity, rate limit), its module's version,
 * its current task there and the engine's decision for it. Translation only: decisions come from the engine,
 * states from the engine's state machine ({@link DeviceProgressService}).
 */
final class AliyunDevices {

    private final AliyunAuth auth;
    private final DeviceRepository devices;
    private final TaskRepository tasks;
    private final DeviceCheckService checks;
    private final DeviceProgressService progress;
    private final DeviceRateLimiter limiter;
    private final DialectMeters meters;

    AliyunDevices(ProductRepository products, DeviceRepository devices, TaskRepository tasks, DeviceCheckService checks,
                  DeviceProgressService progress, DeviceRateLimiter limiter, DialectMeters meters) {
        this.auth = new AliyunAuth(products);
        this.devices = devices;
        this.tasks = tasks;
        this.checks = checks;
        this.progress = progress;
        this.limiter = limiter;
        this.meters = meters;
    }

    AliyunAuth auth() {
        return auth;
    }

    /** The token first (403, see {@link AliyunAuth}), then the params' identity checked strictly (460). */
    Mono<AliyunIdentity> authorized(AliyunEnvelope.Call call) {
        return auth.product(call.iotToken(), call.params()).map(productKey -> AliyunParams.identity(call.params()));
    }

    /**
     * {@link #authorized} and within the device's rate limit: the device id is in the body, so it is counted
     * here rather than in front of the routes. Progress reports are not counted (the device paces them, at most
     * one per 3 s as the Link SDK documents); the address limit covers every call.
     */
    Mono<AliyunIdentity> limited(AliyunEnvelope.Call call) {
        return authorized(call).map(device -> {
            Refusal refusal = limiter.device(AliyunDialect.NAME, device.productKey() + "/" + device.deviceName());
            if (refusal != null) {
                throw new AliyunReply.TooManyRequests(refusal);
            }
            return device;
        });
    }

    /** The engine's offer for the device's module at this version; empty when there is none. */
    Mono<CheckOutcome.Offer> check(AliyunIdentity device, String module, String version) {
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

    /** The device's most recently offered task of the module (with this target, when given) and its standing there. */
    Mono<Tuple2<UpgradeTask, DeviceProgress>> current(AliyunIdentity device, String module, String firmwareVersion) {
        return progress.history(device.productKey(), device.deviceName())
                .filter(p -> module.equals(p.module()) && (firmwareVersion == null || FirmwareVersion.same(p.targetVersion(), firmwareVersion)))
                .next()
                .flatMap(p -> tasks.find(p.taskId()).map(t -> Tuples.of(t, p)));
    }

    /** The version the call reports, else the one the device last reported for the module; empty when neither. */
    Mono<String> moduleVersion(AliyunIdentity device, String module, String reported) {
        if (reported != null) {
            return Mono.just(reported);
        }
        return devices.find(device.productKey(), device.deviceName())
                .mapNotNull(f -> f.get(DeviceRepository.moduleVersionField(module)));
    }
}
