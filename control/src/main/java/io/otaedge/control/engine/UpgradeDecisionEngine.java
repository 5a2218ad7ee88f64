package io.otaedge.control.engine;

import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.TaskStatus;
import io.otaedge.control.task.UpgradeTask;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The one place that decides which task applies to a device. Every dialect asks here; none of them
 * holds a rule of its own. The newest running task that applies wins.
 */
public final class UpgradeDecisionEngine {

    private final TaskRepository tasks;

    public UpgradeDecisionEngine(TaskRepository tasks) {
        this.tasks = tasks;
    }

    public Mono<Decision> decide(DeviceCheck check) {
        return tasks.newestFirst(check.productId()).map(list -> choose(list, check));
    }

    /** The rule itself, free of I/O. {@code tasks} are newest first. */
    public static Decision choose(List<UpgradeTask> tasks, DeviceCheck check) {
        boolean upToDate = false;
        for (UpgradeTask t : tasks) {
            if (!targets(t, check)) {
                continue;
            }
            if (t.targetVersion().equals(check.version())) {
                upToDate = true;
                continue;
            }
            if (t.sourceVersions().isEmpty() || t.sourceVersions().contains(check.version())) {
                return new Decision.Upgrade(t);
            }
        }
        return new Decision.NoUpgrade(upToDate ? NoUpgradeReason.ALREADY_UP_TO_DATE : NoUpgradeReason.NO_TASK);
    }

    private static boolean targets(UpgradeTask t, DeviceCheck check) {
        return t.status() == TaskStatus.RUNNING
                && t.upgradeType() == check.type()
                && (t.devices().isEmpty() || t.devices().contains(check.deviceId()));
    }
}
