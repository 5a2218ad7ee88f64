package io.otaedge.control.progress;

import io.otaedge.control.task.DeviceTaskState;

/**
 * What a progress report did to a device's state in a task.
 *
 * @param from       the state before the report (null when the device is not in the task)
 * @param to         the state asked for (or derived from a step)
 * @param autoPaused this report pushed the stage's failure rate over the threshold and paused the task
 * @param advanced   this report completed the stage's sample and moved the rollout to the next stage
 */
public record Transition(Outcome outcome, DeviceTaskState from, DeviceTaskState to, boolean autoPaused, boolean advanced) {

    public enum Outcome {
        /** The state changed. */
        APPLIED,
        /** The device was already in that state; step and description were refreshed where they apply. */
        UNCHANGED,
        /** The state machine does not allow this move from {@code from}. */
        ILLEGAL,
        /** The device holds no state in this task (never offered it, or another product's task). */
        NOT_IN_TASK,
        /** The task was stopped. */
        CANCELLED,
        /** A failed device tried again more often than the task's retry count allows. */
        RETRY_LIMIT
    }

    /** This report completed the device's task (it reached SUCCEEDED now). */
    public boolean completed() {
        return outcome == Outcome.APPLIED && to == DeviceTaskState.SUCCEEDED;
    }

    public boolean accepted() {
        return outcome == Outcome.APPLIED || outcome == Outcome.UNCHANGED;
    }
}
