package io.otaedge.control.engine;

import io.otaedge.control.task.UpgradeTask;

/** The engine's answer: upgrade with this task, or a reason why not. */
public sealed interface Decision {

    record Upgrade(UpgradeTask task) implements Decision {
    }

    record NoUpgrade(NoUpgradeReason reason) implements Decision {
    }
}
