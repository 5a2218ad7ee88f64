package io.otaedge.control.task;

import java.util.List;

/**
 * One abort criterion (AWS IoT Jobs {@code abortConfig.criteriaList}): once at least
 * {@code minNumberOfExecutedThings} devices finished the task (succeeded or failed, all stages), a share of
 * {@code thresholdPercentage} % or more of them failing with {@code failureType} stops the task for good
 * ({@code action} CANCEL, AWS's only action): the task becomes STOPPED with an abort record, and devices that
 * had not finished are told it was cancelled, as after an operator's stop.
 */
public record AbortCriterion(FailureType failureType, String action, double thresholdPercentage, int minNumberOfExecutedThings) {

    /** The only action, as in AWS. */
    public static final String CANCEL = "CANCEL";

    /** The failures a criterion counts; ALL counts every failure whatever its kind. */
    public enum FailureType {
        FAILED, REJECTED, TIMED_OUT, ALL
    }

    public AbortCriterion {
        action = action == null ? CANCEL : action;
    }

    /** {@code count} failures of this criterion's type among {@code finished} devices stop the task. */
    public boolean metBy(long finished, long count) {
        return finished >= minNumberOfExecutedThings && finished > 0 && count * 100.0 >= thresholdPercentage * finished;
    }

    /** The task's criteria; an empty list = the task is never aborted. */
    public static List<AbortCriterion> none() {
        return List.of();
    }
}
