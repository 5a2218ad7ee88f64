package io.otaedge.control.task;

import java.util.List;

/**
 * What an operator asked of a task, grouped by concern; fixed once the task exists (an edit makes a new spec through
 * the factory). Built and checked by {@link TaskFactory}. A new kind of control is a new group here, its rules in the
 * factory, its fields in {@link TaskJson}; a group left null is its "off" value.
 */
public record TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints,
                       RolloutRate rate, StageSuccess success, MaintenanceWindows windows, RetryPolicy retries,
                       List<AbortCriterion> abortCriteria, AutoRollback autoRollback, String rollbackOf) {

    public TaskSpec {
        rate = rate == null ? RolloutRate.UNLIMITED : rate;
        success = success == null ? StageSuccess.NONE : success;
        windows = windows == null ? MaintenanceWindows.ALWAYS : windows;
        retries = retries == null ? RetryPolicy.NONE : retries;
        abortCriteria = abortCriteria == null ? AbortCriterion.none() : List.copyOf(abortCriteria);
    }

    /** A spec without abort criteria or an automatic rollback. */
    public TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints,
                    RolloutRate rate, StageSuccess success, MaintenanceWindows windows, RetryPolicy retries) {
        this(targeting, rollout, schedule, offer, hints, rate, success, windows, retries, null, null, null);
    }

    /** A spec without success criteria, maintenance windows, a retry policy or abort criteria. */
    public TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints,
                    RolloutRate rate) {
        this(targeting, rollout, schedule, offer, hints, rate, null, null, null, null, null, null);
    }

    /** A spec without success criteria, maintenance windows or abort criteria. */
    public TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints,
                    RolloutRate rate, RetryPolicy retries) {
        this(targeting, rollout, schedule, offer, hints, rate, null, null, retries, null, null, null);
    }

    /** A spec without a retry policy or abort criteria. */
    public TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints,
                    RolloutRate rate, StageSuccess success, MaintenanceWindows windows) {
        this(targeting, rollout, schedule, offer, hints, rate, success, windows, null, null, null, null);
    }

    /** A spec without a rollout rate or any of the later controls. */
    public TaskSpec(Targeting targeting, RolloutPlan rollout, Schedule schedule, Offer offer, DeviceHints hints) {
        this(targeting, rollout, schedule, offer, hints, null, null, null, null, null, null, null);
    }

    public TaskSpec withTargeting(Targeting t) {
        return new TaskSpec(t, rollout, schedule, offer, hints, rate, success, windows, retries, abortCriteria, autoRollback,
                rollbackOf);
    }

    /**
     * The rollback task of {@code origin}'s failed {@code devices}: forced, a deliberate downgrade, only those
     * devices, same upgrade type, the rollback's own abort criteria, no rollback of its own; defaults otherwise
     * (no success criteria, windows or retry policy: a rollback goes out at once and as it is).
     */
    public static TaskSpec rollbackOf(UpgradeTask origin, List<String> devices, TaskSpec defaults) {
        AutoRollback r = origin.spec().autoRollback();
        Targeting who = new Targeting(null, devices, null, null, null, false);
        Offer offer = new Offer(origin.spec().offer().type(), UpgradeMode.COMPELLENT, false, true);
        return new TaskSpec(who, defaults.rollout(), defaults.schedule(), offer, defaults.hints(), RolloutRate.UNLIMITED,
                null, null, null, r.abortCriteria(), null, origin.id());
    }
}
