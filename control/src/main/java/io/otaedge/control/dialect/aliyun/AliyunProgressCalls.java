package io.otaedge.control.dialect.aliyun;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.metrics.DialectMeters;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.progress.Transition;
import io.otaedge.control.task.TaskRepository;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Aliyun Living's progress calls: a device's progress in its module's current task ({@code progress/get}), in
 * every task ({@code progress/list}), and the device's own report ({@code progress/report}). The reads write
 * nothing of their own: a device still TO_BE_UPGRADED that the edges served bytes to shows as UPGRADING with the
 * share served ({@link DeviceProgressService#withServedBytes}); the periodic fold records it. Only what the device
 * says is recorded: the version a {@code progress/get} reports, and the steps of {@code progress/report}.
 */
final class AliyunProgressCalls {

    private static final String[] FAILURE_DESC = {"", "upgrade failed", "download failed", "checksum mismatch", "flashing failed"};

    private final AliyunDevices lookup;
    private final DeviceRepository devices;
    private final TaskRepository tasks;
    private final DeviceProgressService progress;
    private final DialectMeters meters;

    AliyunProgressCalls(AliyunDevices lookup, DeviceRepository devices, TaskRepository tasks, DeviceProgressService progress,
                        DialectMeters meters) {
        this.lookup = lookup;
        this.devices = devices;
        this.tasks = tasks;
        this.progress = progress;
        this.meters = meters;
    }

    /** {@code /living/ota/progress/get}: the device's progress in the module's newest task that concerns it. */
    Mono<Object> progressGet(AliyunEnvelope.Call call) {
        return lookup.limited(call).flatMap(device -> {
            String module = AliyunParams.module(call.params());
            String firmwareVersion = AliyunParams.optionalVersion(call.params(), "firmwareVersion");
            String currentVersion = AliyunParams.optionalVersion(call.params(), "currentVersion");
            if (firmwareVersion == null && !Firmware.DEFAULT_MODULE.equals(module)) {
                throw AliyunReply.parameter("firmwareVersion is required for a module other than default");
            }
            Mono<Void> report = currentVersion == null ? Mono.empty()
                    : progress.reportVersion(device.productKey(), device.deviceName(), module, currentVersion)
                            .doOnNext(this::countCompleted).then();
            return report.then(lookup.moduleVersion(device, module, currentVersion))
                    .map(Optional::of).defaultIfEmpty(Optional.empty())
                    .flatMap(version -> lookup.current(device, module, firmwareVersion)
                            // No row yet: the engine may have something for the device's version.
                            .switchIfEmpty(Mono.defer(() -> version.isEmpty() ? Mono.empty()
                                    : lookup.check(device, module, version.get()).then(lookup.current(device, module, firmwareVersion))))
                            .flatMap(tr -> progress.withServedBytes(tr.getT2(), tr.getT1())
                                    .map(p -> AliyunProgressView.of(device, module, version.orElse(null), tr.getT1(), p))));
        });
    }

    /** {@code /living/ota/progress/list}: the device's progress in every task that concerns it, newest first. */
    Mono<Object> progressList(AliyunEnvelope.Call call) {
        return lookup.limited(call).flatMap(device ->
                devices.find(device.productKey(), device.deviceName()).defaultIfEmpty(Map.of()).flatMap(fields ->
                        progress.history(device.productKey(), device.deviceName())
                                .concatMap(p -> tasks.find(p.taskId()).map(t -> AliyunProgressView.of(device, p.module(),
                                        fields.get(DeviceRepository.moduleVersionField(p.module())), t, p)))
                                .collectList()
                                .map(list -> (Object) list)));
    }

    /** {@code /living/ota/progress/report}: step (a string) 0..100 while upgrading, -1..-4 on failure. */
    Mono<Object> progressReport(AliyunEnvelope.Call call) {
        return lookup.authorized(call).flatMap(device -> {
            String module = AliyunParams.module(call.params());
            String firmwareVersion = AliyunParams.optionalVersion(call.params(), "firmwareVersion");
            if (firmwareVersion == null) {
                throw AliyunReply.parameter("firmwareVersion is required");
            }
            int step = AliyunParams.step(call.params().get("step"));
            JsonNode d = call.params().get("desc");
            String desc = d == null || d.isNull() ? "" : d.asText();
            if (desc.isEmpty() && step < 0) {
                desc = FAILURE_DESC[-step];
            }
            String text = desc;
            meters.progressReport();
            // The state machine's rule for a percentage: below 100 downloading, 100 upgrading, negative failed.
            return lookup.current(device, module, firmwareVersion)
                    .switchIfEmpty(Mono.error(() -> AliyunReply.parameter("no upgrade to " + firmwareVersion + " for this device")))
                    .flatMap(tr -> progress.reportStep(device.productKey(), device.deviceName(), tr.getT1().id(), step, text))
                    .filter(t -> t.outcome() != Transition.Outcome.NOT_IN_TASK)
                    .switchIfEmpty(Mono.error(() -> AliyunReply.parameter("no upgrade to " + firmwareVersion + " for this device")))
                    .then(Mono.empty());
        });
    }

    /** A version the device reported completed its task there: that is a progress report too. */
    private void countCompleted(List<Transition> moves) {
        if (moves.stream().anyMatch(Transition::completed)) {
            meters.progressReport();
        }
    }
}
