package io.otaedge.control.progress;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.redis.RedisScript;
import io.otaedge.control.redis.ControlKeys;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.RolloutPlan;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.TaskStatus;
import io.otaedge.control.task.UpgradeTask;
import reactor.core.publisher.Mono;

/**
 * What a device's final outcome does to its task, judged on the stage's sums over every device bucket:
 * a failure that pushes the stage's failure rate over the threshold pauses the task; a success that
 * completes the current stage's sample (under the threshold) advances an auto-advancing rollout.
 *
 * <p>It runs after the device's own script (which cannot see the other buckets) and changes the task's
 * control word only when that still holds the word the decision was made on, so two outcomes judged at
 * once change it once. The races this opens are harmless: a report judged while an operator acts on
 * the task leaves the operator's word in place (the swap finds another word); outcomes arriving together
 * may each see the other's count or not, and the later of them sees both, so a threshold crossed is
 * acted on by at least the last report that crossed it.
 */
final class StageGuard {

    /** What the guard did. */
    enum Effect {
        NONE, AUTO_PAUSED, ADVANCED
    }

    /**
     * KEYS: task control word, task auto-pause marks (both in the product's tag). ARGV: the word the
     * decision was made on, the new word, now ('' = no marks), the stage paused. 1 when swapped.
     */
    private static final RedisScript SWAP = new RedisScript("""
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
            redis.call('SET', KEYS[1], ARGV[2])
            if ARGV[3] ~= '' then redis.call('HSET', KEYS[2], 'autoPausedAt', ARGV[3], 'autoPausedStage', ARGV[4]) end
            return 1
            """, ScriptOutputType.INTEGER);

    private final RedisClusterAsyncCommands<String, String> redis;

    StageGuard(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /**
     * After {@code to} was applied to a device of stage {@code stage} in {@code task} (the task as read
     * before the report): pauses or advances the task where its rules say so.
     */
    Mono<Effect> afterOutcome(UpgradeTask task, DeviceTaskState to, int stage, long nowMillis) {
        if (task.status() != TaskStatus.RUNNING) {
            return Mono.just(Effect.NONE);
        }
        RolloutPlan plan = task.spec().rollout();
        Integer threshold = plan.failureThreshold();
        boolean mayPause = to == DeviceTaskState.FAILED && threshold != null;
        boolean mayAdvance = to == DeviceTaskState.SUCCEEDED && plan.autoAdvance() && stage == task.stage()
                && plan.hasStageAfter(task.stage());
        if (!mayPause && !mayAdvance) {
            return Mono.just(Effect.NONE);
        }
        String running = TaskRepository.controlWord(TaskStatus.RUNNING, task.stage());
        return outcomes(task, stage).flatMap(sf -> {
            long succeeded = sf[0];
            long failed = sf[1];
            long n = succeeded + failed;
            if (n < plan.minSample()) {
                return Mono.just(Effect.NONE);
            }
            if (mayPause && failed * 100 > (long) threshold * n) {
                return swap(task, running, TaskRepository.controlWord(TaskStatus.PAUSED, task.stage()),
                        Long.toString(nowMillis), stage).map(done -> done ? Effect.AUTO_PAUSED : Effect.NONE);
            }
            if (mayAdvance && (threshold == null || failed * 100 <= (long) threshold * n)) {
                return swap(task, running, TaskRepository.controlWord(TaskStatus.RUNNING, task.stage() + 1), "", stage)
                        .map(done -> done ? Effect.ADVANCED : Effect.NONE);
            }
            return Mono.just(Effect.NONE);
        });
    }

    /** {succeeded, failed} of one stage, summed over the task's buckets. */
    private Mono<long[]> outcomes(UpgradeTask task, int stage) {
        return BucketSums.of(redis, task, "stage:" + stage + ":succeeded", "stage:" + stage + ":failed");
    }

    private Mono<Boolean> swap(UpgradeTask task, String expected, String next, String now, int stage) {
        String[] keys = {ControlKeys.taskControl(task.productId(), task.id()), ControlKeys.taskAutoPause(task.productId(), task.id())};
        return SWAP.<Long>run(redis, keys, expected, next, now, Integer.toString(stage)).map(n -> n == 1L);
    }
}
