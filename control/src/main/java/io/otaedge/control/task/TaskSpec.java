package io.otaedge.control.task;

/**
 * What an operator asked of a task, grouped by concern; fixed once the task exists. Built and checked by
 * {@link TaskFactory}. A new kind of control is a new group here, its rules in the factory, its fields in
 * {@link TaskJson}.
 */
public record TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints) {

    public TaskSpec withTargeting(Targeting t) {
        return new TaskSpec(t, rollout, schedule, offer, hints);
    }
}
