package io.otaedge.control.engine;

import io.otaedge.common.token.TokenGrant;
import io.otaedge.control.task.UpgradeTask;

/** What a device check ends in: an offer (task and download token) or a refusal with its reason. */
public sealed interface CheckOutcome {

    record Offer(UpgradeTask task, TokenGrant grant) implements CheckOutcome {
    }

    record Refused(NoUpgradeReason reason) implements CheckOutcome {
    }
}
