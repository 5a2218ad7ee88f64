package io.otaedge.control.progress;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.redis.RedisScript;
import io.otaedge.control.redis.ControlKeys;
import io.otaedge.control.task.AbortCriterion;
import io.otaedge.control.task.TaskStatus;
import io.otaedge.control.task.UpgradeTask;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * A task's abort criteria ({@link AbortCriterion}), judged after each device's final outcome over the whole
 * task (every stage, every device bucket): the first criterion met stops the task and records why. Like
 * {@link StageGuard} it runs after the device's own script and swaps the control word with a script, here
 * from RUNNING or PAUSED (an auto-paused task can still be aborted by the outcomes still arriving) to STOPPED;
 * the swap and the record are one script, so of two controls judging at once exactly one aborts, records and
 * counts it. An operator's stop in between wins (the swap finds STOPPED and does nothing).
 */
final class AbortGuard {

    /**
     * KEYS: task control word, task abort record (product tag). ARGV: now, criterion index, failure type,
     * threshold, minimum, finished, count. 1 when this call aborted the task.
     */
    private static final RedisScript ABORT = new RedisScript("""
            local ctl = redis.call('GET', KEYS[1])
            if not ctl then return 0 end
            local status, stage = string.match(ctl, '^(%u+):(%d+)$')
            if status ~= 'RUNNING' and status ~= 'PAUSED' then return 0 end
            redis.call('SET', KEYS[1], 'STOPPED:' .. stage)
            redis.call('HSET', KEYS[2], 'abortedAt', ARGV[1], 'criterion', ARGV[2], 'failureType', ARGV[3],
              'thresholdPercentage', ARGV[4], 'minNumberOfExecutedThings', ARGV[5], 'finished', ARGV[6], 'count', ARGV[7])
            return 1
            """, ScriptOutputType.INTEGER);

    /** What stopped a task: the criterion (its index in the task's list) and the figures that met it. */
    record Abort(int criterion, AbortCriterion rule, long finished, long count) {
    }

    private final RedisClusterAsyncCommands<String, String> redis;

    AbortGuard(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** Aborts {@code task} (as read before the report) when one of its criteria is met now; the abort, when this call made it. */
    Mono<Abort> afterOutcome(UpgradeTask task, long nowMillis) {
        List<AbortCriterion> criteria = task.spec().abortCriteria();
        if (criteria.isEmpty() || (task.status() != TaskStatus.RUNNING && task.status() != TaskStatus.PAUSED)) {
            return Mono.empty();
        }
        return outcomes(task).flatMap(o -> decide(task, o, nowMillis));
    }

    /** As {@link #afterOutcome}, on the task's outcomes already summed. */
    Mono<Abort> decide(UpgradeTask task, Outcomes o, long nowMillis) {
        if (task.status() != TaskStatus.RUNNING && task.status() != TaskStatus.PAUSED) {
            return Mono.empty();
        }
        return Mono.justOrEmpty(firstMet(task.spec().abortCriteria(), o))
                .flatMap(abort -> swap(task, abort, nowMillis).filter(Boolean::booleanValue).map(done -> abort));
    }

    /** The first criterion the figures meet, in the task's order. */
    static Optional<Abort> firstMet(List<AbortCriterion> criteria, Outcomes o) {
        for (int i = 0; i < criteria.size(); i++) {
            AbortCriterion c = criteria.get(i);
            long count = o.count(c.failureType());
            if (c.metBy(o.finished(), count)) {
                return Optional.of(new Abort(i, c, o.finished(), count));
            }
        }
        return Optional.empty();
    }

    /** A task's final outcomes over all stages: successes, failures, and the failures of each recorded kind. */
    record Outcomes(long succeeded, long failed, long rejected, long timedOut) {

        long finished() {
            return succeeded + failed;
        }

        long count(AbortCriterion.FailureType type) {
            return switch (type) {
                case ALL -> failed;
                case REJECTED -> rejected;
                case TIMED_OUT -> timedOut;
                // FAILED = download + install failures (and rows from before the kinds): the rest.
                case FAILED -> Math.max(0, failed - rejected - timedOut);
            };
        }
    }

    /** The task's outcomes summed over its buckets and stages (one pipelined HMGET per bucket). */
    Mono<Outcomes> outcomes(UpgradeTask task) {
        int stages = task.spec().rollout().stages().size();
        String[] fields = new String[stages * 4];
        for (int s = 0; s < stages; s++) {
            fields[4 * s] = "stage:" + s + ":succeeded";
            fields[4 * s + 1] = "stage:" + s + ":failed";
            fields[4 * s + 2] = FailureKind.counter(s, FailureKind.REJECTED);
            fields[4 * s + 3] = FailureKind.counter(s, FailureKind.TIMEOUT);
        }
        return BucketSums.of(redis, task, fields).map(perField -> {
            long[] sum = new long[4];
            for (int i = 0; i < perField.length; i++) {
                sum[i % 4] += perField[i];
            }
            return new Outcomes(sum[0], sum[1], sum[2], sum[3]);
        });
    }

    private Mono<Boolean> swap(UpgradeTask task, Abort abort, long nowMillis) {
        String[] keys = {ControlKeys.taskControl(task.productId(), task.id()), ControlKeys.taskAbort(task.productId(), task.id())};
        AbortCriterion c = abort.rule();
        return ABORT.<Long>run(redis, keys, Long.toString(nowMillis), Integer.toString(abort.criterion()),
                c.failureType().name(), Double.toString(c.thresholdPercentage()),
                Integer.toString(c.minNumberOfExecutedThings()), Long.toString(abort.finished()),
                Long.toString(abort.count())).map(n -> n == 1L);
    }
}
