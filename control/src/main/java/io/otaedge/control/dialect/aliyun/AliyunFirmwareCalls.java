package io.otaedge.control.dialect.aliyun;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.control.edge.EdgeDirectory;
import io.otaedge.control.metrics.DialectMeters;
import io.otaedge.control.progress.DeviceProgress;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.UpgradeMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Aliyun Living's firmware calls: the firmware pending for a device's module with an edge URL
 * ({@code firmware/file/get}, Aliyun's device check) and a user's confirmation of a CONFIRM task ({@code confirm}).
 */
final class AliyunFirmwareCalls {

    private static final int MAX_CONFIRM_DEVICES = 20;

    private final AliyunDevices lookup;
    private final DeviceProgressService progress;
    private final EdgeDirectory edges;
    private final DialectMeters meters;

    AliyunFirmwareCalls(AliyunDevices lookup, DeviceProgressService progress, EdgeDirectory edges, DialectMeters meters) {
        this.lookup = lookup;
        this.progress = progress;
        this.edges = edges;
        this.meters = meters;
    }

    /**
     * {@code /living/ota/firmware/file/get}: the firmware pending for the device's module, with an edge URL. This is
     * Aliyun's device check, counted by outcome.
     */
    Mono<Object> fileGet(AliyunEnvelope.Call call) {
        return pendingFile(call)
                .doOnSuccess(data -> meters.check(data == null ? DialectMeters.Outcome.NO_TASK : DialectMeters.Outcome.UPGRADE))
                .doOnError(e -> meters.check(e instanceof AliyunReply.Failure ? DialectMeters.Outcome.REJECTED
                        : DialectMeters.Outcome.ERROR));
    }

    private Mono<Object> pendingFile(AliyunEnvelope.Call call) {
        return lookup.limited(call).flatMap(device -> {
            String module = AliyunParams.module(call.params());
            String currentVersion = AliyunParams.optionalVersion(call.params(), "currentVersion");
            return lookup.moduleVersion(device, module, currentVersion)
                    .switchIfEmpty(Mono.error(() -> AliyunReply.parameter("currentVersion is required: the device never reported one")))
                    .flatMap(version -> lookup.check(device, module, version))
                    .flatMap(offer -> Mono.zip(progress.taskProgress(device.productKey(), device.deviceName(), offer.task().id())
                                    .map(DeviceProgress::state)
                                    .defaultIfEmpty(DeviceTaskState.TO_BE_UPGRADED), edges.downloadUrl(offer.grant().token()))
                            .map(su -> {
                                Map<String, Object> data = new LinkedHashMap<>();
                                data.put("iotId", device.iotId());
                                data.put("moduleName", module);
                                data.put("version", offer.grant().version());
                                data.put("size", Long.toString(offer.grant().size()));
                                data.put("sign", offer.grant().md5());
                                data.put("signMethod", "MD5");
                                data.put("url", su.getT2());
                                data.put("status", AliyunProgressView.status(su.getT1()));
                                return data;
                            }));
        });
    }

    /** {@code /living/ota/confirm}: a user confirmed the upgrade of up to 20 devices. */
    Mono<Object> confirm(AliyunEnvelope.Call call) {
        JsonNode list = call.params() == null ? null : call.params().get("devices");
        // The token opens the product of the list's first device; a list that names none opens nothing.
        JsonNode first = list != null && list.isArray() && !list.isEmpty() ? list.get(0) : null;
        return lookup.auth().product(call.iotToken(), first).flatMapMany(productKey -> {
            if (list.size() > MAX_CONFIRM_DEVICES) {
                throw AliyunReply.parameter("at most " + MAX_CONFIRM_DEVICES + " devices");
            }
            List<AliyunIdentity> ids = new ArrayList<>();
            for (JsonNode d : list) {
                ids.add(AliyunParams.identity(d.isTextual() ? Json.mapper().createObjectNode().put("iotId", d.asText()) : d));
            }
            if (ids.stream().anyMatch(i -> !i.productKey().equals(productKey))) {
                throw AliyunReply.forbidden();
            }
            String module = AliyunParams.module(call.params());
            String firmwareVersion = AliyunParams.optionalVersion(call.params(), "firmwareVersion");
            return Flux.fromIterable(ids).concatMap(device -> lookup.current(device, module, firmwareVersion)
                    // Only a CONFIRM task waits for a user; a forced one needs no confirmation.
                    .filter(tr -> tr.getT1().spec().offer().mode() == UpgradeMode.CONFIRM)
                    .flatMap(tr -> progress.confirm(productKey, device.deviceName(), tr.getT1().id())));
        }).then(Mono.empty());
    }
}
