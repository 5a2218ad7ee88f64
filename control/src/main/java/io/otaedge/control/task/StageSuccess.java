package io.otaedge.control.task;

import java.time.Duration;

/**
 * When a stage counts as done and what follows (Eclipse hawkBit's rollout groups: {@code successCondition}
 * THRESHOLD → {@code successAction} NEXTGROUP). A stage succeeds when {@code threshold} percent of its devices (those
 * enrolled in it: offered the update, hawkBit's group targets) report success, once {@code minSample} devices are
 * enrolled in it; after holding that for {@code soak}, the task moves to the next stage (NEXTGROUP) or pauses at the
 * boundary for an operator (PAUSE). The failure threshold's auto-pause is unchanged (hawkBit's error condition).
 *
 * @param threshold success percentage 1..100; null = no success criteria (the plan's autoAdvance rules, as before)
 * @param soak      how long the stage must stay at that success before acting; null = act at once
 * @param action    what a stage that met its criteria does; null = NEXTGROUP
 */
public record StageSuccess(Integer threshold, Duration soak, Action action) {

    public static final StageSuccess NONE = new StageSuccess(null, null, null);

    /** What follows a stage that met its success criteria. */
    public enum Action {
        /** Start the next stage (hawkBit NEXTGROUP). */
        NEXTGROUP,
        /** Pause the task at the stage boundary: an operator advances it ({@code POST .../advance}, then resume). */
        PAUSE
    }

    public StageSuccess {
        action = action == null && threshold != null ? Action.NEXTGROUP : action;
    }

    public boolean enabled() {
        return threshold != null;
    }

    public Duration soakOrZero() {
        return soak == null ? Duration.ZERO : soak;
    }

    /** True when {@code succeeded} of {@code enrolled} devices meet the threshold. */
    public boolean met(long succeeded, long enrolled) {
        return enabled() && enrolled > 0 && succeeded * 100 >= (long) threshold * enrolled;
    }
}
