package io.otaedge.control.engine;

import io.otaedge.control.device.DeviceProgressStore;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.UpgradeTask;
import io.otaedge.control.token.TokenIssuer;
import java.time.Clock;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A device check for one named module of a device (FOG's {@code mcu}/{@code wifi}, Aliyun's
 * {@code moduleName}, {@code default} for xiaozhi and LuatOS), dialect-free. Same rule as
 * {@link DeviceCheckService} ({@link UpgradeDecisionEngine#choose}), over the tasks whose firmware
 * belongs to that module. A reported version equal to a task's target completes the device's row
 * in that task: success is decided by the version the device reports after upgrading.
 */
public final class ModuleCheckService {

    public static final String DEFAULT_MODULE = "default";

    private final DeviceRepository devices;
    private final TaskRepository tasks;
    private final TokenIssuer tokens;
    private final DeviceProgressStore progress;
    private final Clock clock;

    public ModuleCheckService(DeviceRepository devices, TaskRepository tasks, TokenIssuer tokens,
                              DeviceProgressStore progress, Clock clock) {
        this.devices = devices;
        this.tasks = tasks;
        this.tokens = tokens;
        this.progress = progress;
        this.clock = clock;
    }

    public Mono<CheckOutcome> check(DeviceCheck check, String module) {
        return reportVersion(check.productId(), check.deviceId(), module, check.version())
                .flatMap(moduleTasks -> {
                    Decision decision = UpgradeDecisionEngine.choose(moduleTasks, check);
                    if (decision instanceof Decision.Upgrade up) {
                        return tokens.issue(up.task(), check.deviceId(), check.version())
                                .map(grant -> (CheckOutcome) new CheckOutcome.Offer(up.task(), grant));
                    }
                    return Mono.just(new CheckOutcome.Refused(((Decision.NoUpgrade) decision).reason()));
                });
    }

    /**
     * Stores the device's version of the module and completes its rows in tasks that target that
     * version. Returns the module's tasks, newest first.
     */
    public Mono<List<UpgradeTask>> reportVersion(String productId, String deviceId, String module, String version) {
        long now = clock.millis();
        return devices.recordModuleVersion(productId, deviceId, module, version, now)
                .then(tasksOf(productId, module))
                .flatMap(list -> Flux.fromIterable(list)
                        .filter(t -> t.targetVersion().equals(version))
                        .concatMap(t -> progress.report(productId, t.id(), deviceId, DeviceTaskState.SUCCEEDED, 100, "", now))
                        .then(Mono.just(list)));
    }

    /** The product's tasks whose firmware belongs to {@code module}, newest first. */
    public Mono<List<UpgradeTask>> tasksOf(String productId, String module) {
        return tasks.newestFirst(productId)
                .map(list -> list.stream().filter(t -> module.equals(t.firmware().module())).toList());
    }
}
