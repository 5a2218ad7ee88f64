package io.otaedge.control.task;

/**
 * What an operator asked of a task, grouped by concern; fixed once the task exists. Built and checked by
 * {@link TaskFactory}. A new kind of control is a new group here, its rules in the factory, its fields in
 * {@link TaskJson}.
 */
public record TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints,
                       RolloutRate rate, StageSuccess success, MaintenanceWindows windows) {

    public TaskSpec {
        rate = rate == null ? RolloutRate.UNLIMITED : rate;
        success = success == null ? StageSuccess.NONE : success;
        windows = windows == null ? MaintenanceWindows.ALWAYS : windows;
    }

    /** A spec without success criteria between stages or maintenance windows. */
    public TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints,
                    RolloutRate rate) {
        this(targeting, rollout, schedule, offer, hints, rate, StageSuccess.NONE, MaintenanceWindows.ALWAYS);
    }

    /** A spec without a rollout rate. */
    public TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints) {
        this(targeting, rollout, schedule, offer, hints, RolloutRate.UNLIMITED);
    }

    public TaskSpec withTargeting(Targeting t) {
        return new TaskSpec(t, rollout, schedule, offer, hints, rate, success, windows);
    }
}
