package io.otaedge.control.task;

import java.util.List;

/**
 * Automatic rollback (Azure Device Update's cloud-initiated rollback): once at least
 * {@code minNumberOfExecutedThings} devices finished the task, {@code thresholdPercentage} % or more of them
 * failing (any kind) creates, once, a rollback task: firmware {@code firmwareId} (the operator's known-good
 * package of the product), forced, a deliberate downgrade, for exactly the devices failed at that moment, with
 * {@code abortCriteria} of its own. The two tasks are linked: the rollback names its origin ({@code rollbackOf}),
 * the origin's progress view names the rollback.
 */
public record AutoRollback(double thresholdPercentage, int minNumberOfExecutedThings, String firmwareId,
                           List<AbortCriterion> abortCriteria) {

    public AutoRollback {
        abortCriteria = abortCriteria == null ? AbortCriterion.none() : List.copyOf(abortCriteria);
    }

    /** {@code failed} of {@code finished} devices call for the rollback. */
    public boolean metBy(long finished, long failed) {
        return finished >= minNumberOfExecutedThings && finished > 0 && failed * 100.0 >= thresholdPercentage * finished;
    }
}
