package io.otaedge.control.task;

/**
 * What an operator asked of a task, grouped by concern; fixed once the task exists. Built and checked by
 * {@link TaskFactory}. A new kind of control is a new group here, its rules in the factory, its fields in
 * {@link TaskJson}.
 */
public record TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints,
                       RolloutRate rate, RetryPolicy retries) {

    public TaskSpec {
        rate = rate == null ? RolloutRate.UNLIMITED : rate;
        retries = retries == null ? RetryPolicy.NONE : retries;
    }

    /** A spec without a retry policy. */
    public TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints,
                    RolloutRate rate) {
        this(targeting, rollout, schedule, offer, hints, rate, RetryPolicy.NONE);
    }

    /** A spec without a rollout rate. */
    public TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints) {
        this(targeting, rollout, schedule, offer, hints, RolloutRate.UNLIMITED, RetryPolicy.NONE);
    }

    public TaskSpec withTargeting(Targeting t) {
        return new TaskSpec(t, rollout, schedule, offer, hints, rate, retries);
    }
}
