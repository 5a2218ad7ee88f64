package io.otaedge.control.task;

import java.util.List;

/**
 * How a task spreads over the fleet: cumulative stages and the rules that move or stop it.
 *
 * @param stages           cumulative rollout percentages, e.g. [1, 10, 100]; empty = [100]
 * @param autoAdvance      move to the next stage once the current one has {@code minSample} outcomes within the threshold
 * @param failureThreshold failure percentage of a stage above which the task pauses itself; null = never
 * @param minSample        outcomes a stage needs before the threshold is judged
 */
public record RolloutPlan(List<Double> stages, boolean autoAdvance, Integer failureThreshold, int minSample) {

    public RolloutPlan {
        stages = stages == null || stages.isEmpty() ? List.of(100.0) : List.copyOf(stages);
    }

    /** The stage this device falls in (its stable place, {@link Rollout}); {@code stages().size()} when none covers it. */
    public int stageOf(String taskId, String deviceId) {
        return Rollout.stageOf(Rollout.place(taskId, deviceId), stages);
    }

    /** True when {@code stage} is not the last one. */
    public boolean hasStageAfter(int stage) {
        return stage + 1 < stages.size();
    }
}
