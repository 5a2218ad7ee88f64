package io.otaedge.control.task;

import java.util.List;

/**
 * What an operator asked of a task, grouped by concern; fixed once the task exists. Built and checked by
 * {@link TaskFactory}. A new kind of control is a new group here, its rules in the factory, its fields in
 * {@link TaskJson}.
 */
public record TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints,
                       RolloutRate rate, List<AbortCriterion> abortCriteria, AutoRollback autoRollback, String rollbackOf) {

    public TaskSpec {
        rate = rate == null ? RolloutRate.UNLIMITED : rate;
        abortCriteria = abortCriteria == null ? AbortCriterion.none() : List.copyOf(abortCriteria);
    }

    /** A spec without a rollout rate or abort criteria. */
    public TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints) {
        this(targeting, rollout, schedule, offer, hints, RolloutRate.UNLIMITED, AbortCriterion.none(), null, null);
    }

    /** A spec without abort criteria. */
    public TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints,
                    RolloutRate rate) {
        this(targeting, rollout, schedule, offer, hints, rate, AbortCriterion.none(), null, null);
    }

    public TaskSpec withTargeting(Targeting t) {
        return new TaskSpec(t, rollout, schedule, offer, hints, rate, abortCriteria, autoRollback, rollbackOf);
    }

    /**
     * The rollback task of {@code origin}'s failed {@code devices}: forced, a deliberate downgrade, only those
     * devices, same upgrade type, the rollback's own abort criteria, no rollback of its own; defaults otherwise.
     */
    public static TaskSpec rollbackOf(UpgradeTask origin, List<String> devices, TaskSpec defaults) {
        AutoRollback r = origin.spec().autoRollback();
        Targeting who = new Targeting(null, devices, null, null, null, false);
        Offer offer = new Offer(origin.spec().offer().type(), UpgradeMode.COMPELLENT, false, true);
        return new TaskSpec(who, defaults.rollout(), defaults.schedule(), offer, defaults.hints(), RolloutRate.UNLIMITED,
                r.abortCriteria(), null, origin.id());
    }
}
