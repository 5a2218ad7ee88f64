package io.otaedge.control.progress;

import io.otaedge.control.task.AbortCriterion;
import io.otaedge.control.task.UpgradeTask;

/** What the progress service tells the rest of control when a device's outcome changed its task for good. */
public interface TaskOutcomes {

    /** Nobody listens. */
    TaskOutcomes NONE = (task, type) -> { };

    /** This control's judgement stopped {@code task} on a criterion of {@code type} (once per task across controls). */
    void aborted(UpgradeTask task, AbortCriterion.FailureType type);

    /** This control created {@code rollback}, the automatic rollback of {@code task} (once per task across controls). */
    default void rolledBack(UpgradeTask task, UpgradeTask rollback) {
    }
}
