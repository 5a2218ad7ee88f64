package io.otaedge.control.engine;

import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.task.UpgradeTask;

/** The engine's answer: upgrade with this task and package, or a reason why not. */
public sealed interface Decision {

    /** @param pkg the package to download: the task's firmware, or a differential package from the device's version */
    record Upgrade(UpgradeTask task, Firmware pkg) implements Decision {
        public Upgrade(UpgradeTask task) {
            this(task, task.firmware());
        }
    }

    record NoUpgrade(NoUpgradeReason reason) implements Decision {
    }
}
