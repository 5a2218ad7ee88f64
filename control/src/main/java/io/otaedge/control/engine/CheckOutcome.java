package io.otaedge.control.engine;

import io.otaedge.common.token.TokenGrant;
import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.task.UpgradeTask;

/** What a device check ends in: an offer (task, package and download token) or a refusal with its reason. */
public sealed interface CheckOutcome {

    /** Whether the check reported the target version of a task the device was in, which completed it (a progress report). */
    default boolean completedTask() {
        return false;
    }

    /** @param pkg the package the token grants (full, or differential when {@code pkg.differential()}) */
    record Offer(UpgradeTask task, TokenGrant grant, Firmware pkg) implements CheckOutcome {
        public Offer(UpgradeTask task, TokenGrant grant) {
            this(task, grant, task.firmware());
        }
    }

    /**
     * @param completedTask     see {@link CheckOutcome#completedTask()}
     * @param retryAfterSeconds when the device should come back (a rate hold); 0 = no hint, the dialect's usual interval
     */
    record Refused(NoUpgradeReason reason, boolean completedTask, int retryAfterSeconds) implements CheckOutcome {
        public Refused(NoUpgradeReason reason) {
            this(reason, false, 0);
        }

        public Refused(NoUpgradeReason reason, boolean completedTask) {
            this(reason, completedTask, 0);
        }
    }
}
