package io.otaedge.control.task;

/**
 * What an operator asked of a task, grouped by concern; fixed once the task exists (an edit makes a new spec through
 * the factory). Built and checked by {@link TaskFactory}. A new kind of control is a new group here, its rules in the
 * factory, its fields in {@link TaskJson}; a group left null is its "off" value.
 */
public record TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints,
                       RolloutRate rate, StageSuccess success, MaintenanceWindows windows, RetryPolicy retries) {

    public TaskSpec {
        rate = rate == null ? RolloutRate.UNLIMITED : rate;
        success = success == null ? StageSuccess.NONE : success;
        windows = windows == null ? MaintenanceWindows.ALWAYS : windows;
        retries = retries == null ? RetryPolicy.NONE : retries;
    }

    /** A spec without success criteria, maintenance windows or a retry policy. */
    public TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints,
                    RolloutRate rate) {
        this(targeting, rollout, schedule, offer, hints, rate, null, null, null);
    }

    /** A spec without success criteria or maintenance windows. */
    public TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints,
                    RolloutRate rate, RetryPolicy retries) {
        this(targeting, rollout, schedule, offer, hints, rate, null, null, retries);
    }

    /** A spec without a retry policy. */
    public TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints,
                    RolloutRate rate, StageSuccess success, MaintenanceWindows windows) {
        this(targeting, rollout, schedule, offer, hints, rate, success, windows, null);
    }

    /** A spec without a rollout rate. */
    public TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints) {
        this(targeting, rollout, schedule, offer, hints, null, null, null, null);
    }

    public TaskSpec withTargeting(Targeting t) {
        return new TaskSpec(t, rollout, schedule, offer, hints, rate, success, windows, retries);
    }
}
