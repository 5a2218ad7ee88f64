package io.otaedge.control.task;

import java.util.List;

/**
 * What an operator asked of a task, grouped by concern; fixed once the task exists. Built and checked by
 * {@link TaskFactory}. A new kind of control is a new group here, its rules in the factory, its fields in
 * {@link TaskJson}.
 */
public record TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints,
                       RolloutRate rate, List<AbortCriterion> abortCriteria) {

    public TaskSpec {
        rate = rate == null ? RolloutRate.UNLIMITED : rate;
        abortCriteria = abortCriteria == null ? AbortCriterion.none() : List.copyOf(abortCriteria);
    }

    /** A spec without a rollout rate or abort criteria. */
    public TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints) {
        this(targeting, rollout, schedule, offer, hints, RolloutRate.UNLIMITED, AbortCriterion.none());
    }

    /** A spec without abort criteria. */
    public TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints,
                    RolloutRate rate) {
        this(targeting, rollout, schedule, offer, hints, rate, AbortCriterion.none());
    }

    public TaskSpec withTargeting(Targeting t) {
        return new TaskSpec(t, rollout, schedule, offer, hints, rate, abortCriteria);
    }
}
