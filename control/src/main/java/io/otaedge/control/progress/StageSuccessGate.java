package io.otaedge.control.progress;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.redis.RedisScript;
import io.otaedge.control.limits.ThrottledLog;
import io.otaedge.control.redis.ControlKeys;
import io.otaedge.control.task.StageSuccess;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.TaskStatus;
import io.otaedge.control.task.UpgradeTask;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A task's success criteria between stages ({@link StageSuccess}, hawkBit's successCondition → successAction): once
 * the current stage's success percentage (succeeded of enrolled, summed over every device bucket, at least
 * {@code minSample} enrolled) has held for the soak time, the task moves to the next stage or pauses at the boundary.
 *
 * <p>Judged after each success report and, because a soak ends with nobody reporting (the fleet's last device may
 * have finished long before), on every control instance every interval. When the stage is first seen at its
 * success the time is marked ({@code successSince:<stage>} in the task's marks hash); a stage that falls below it
 * again (more devices enrolled) loses the mark and soaks anew. The move is one script that acts only while the
 * task's control word is still the one judged, so judges racing on several instances move the task once; a PAUSE
 * is made once per stage, so an operator who resumes the stage is not paused again.
 */
public final class StageSuccessGate implements AutoCloseable {

    private static final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(StageSuccessGate.class), ThrottledLog.INTERVAL);

    /** What the gate did. */
    public enum Effect {
        NONE, ADVANCED, PAUSED
    }

    /**
     * KEYS: control word, marks hash (both on the product's tag). ARGV: word judged, stage, 1 if the criteria are
     * met now, now ms, soak ms, word to set, 'PAUSE' or 'NEXTGROUP'. Returns ACTED, SOAKING, UNMET, DONE or STALE.
     */
    private static final RedisScript JUDGE = new RedisScript("""
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 'STALE' end
            local since = 'successSince:' .. ARGV[2]
            if ARGV[3] ~= '1' then
              redis.call('HDEL', KEYS[2], since)
              return 'UNMET'
            end
            if redis.call('HGET', KEYS[2], 'successPausedStage') == ARGV[2] then return 'DONE' end
            local t = redis.call('HGET', KEYS[2], since)
            if not t then
              t = ARGV[4]
              redis.call('HSET', KEYS[2], since, t)
            end
            if tonumber(ARGV[4]) < tonumber(t) + tonumber(ARGV[5]) then return 'SOAKING' end
            redis.call('SET', KEYS[1], ARGV[6])
            if ARGV[7] == 'PAUSE' then
              redis.call('HSET', KEYS[2], 'successPausedAt', ARGV[4], 'successPausedStage', ARGV[2])
            end
            return 'ACTED'
            """, ScriptOutputType.STATUS);

    private final RedisClusterAsyncCommands<String, String> redis;
    private final TaskRepository tasks;
    private final Clock clock;
    private Disposable schedule;

    public StageSuccessGate(RedisClusterAsyncCommands<String, String> redis, TaskRepository tasks, Clock clock) {
        this.redis = redis;
        this.tasks = tasks;
        this.clock = clock;
    }

    /** Judges every running task with success criteria every {@code interval}, the first one interval from now. */
    public synchronized StageSuccessGate start(Duration interval, Runnable onError) {
        if (schedule == null) {
            schedule = Flux.interval(interval, interval)
                    .onBackpressureDrop()
                    .concatMap(tick -> judgeRunning().onErrorResume(e -> {
                        onError.run();
                        log.warning("judge", "stage success criteria not judged", e);
                        return Mono.empty();
                    }), 1)
                    .subscribe();
        }
        return this;
    }

    /** One pass over every running task with success criteria: how many moved. */
    public Mono<Long> judgeRunning() {
        return tasks.running()
                .filter(t -> t.spec().success().enabled())
                .concatMap(this::judge)
                .filter(e -> e != Effect.NONE)
                .count();
    }

    /** Judges {@code task} (as just read) now; moves it when its current stage met its criteria for the soak. */
    public Mono<Effect> judge(UpgradeTask task) {
        StageSuccess success = task.spec().success();
        int stage = task.stage();
        if (task.status() != TaskStatus.RUNNING || !success.enabled() || !task.spec().rollout().hasStageAfter(stage)) {
            return Mono.just(Effect.NONE);
        }
        boolean pause = success.action() == StageSuccess.Action.PAUSE;
        String word = TaskRepository.controlWord(TaskStatus.RUNNING, stage);
        String next = pause ? TaskRepository.controlWord(TaskStatus.PAUSED, stage)
                : TaskRepository.controlWord(TaskStatus.RUNNING, stage + 1);
        String[] keys = {ControlKeys.taskControl(task.productId(), task.id()), ControlKeys.taskAutoPause(task.productId(), task.id())};
        return counts(task, stage).flatMap(es -> {
            boolean met = es[0] >= task.spec().rollout().minSample() && success.met(es[1], es[0]);
            return JUDGE.<String>run(redis, keys, word, Integer.toString(stage), met ? "1" : "0",
                    Long.toString(clock.millis()), Long.toString(success.soakOrZero().toMillis()), next, success.action().name());
        }).map(result -> {
            if (!result.equals("ACTED")) {
                return Effect.NONE;
            }
            tasks.invalidate(task.productId()); // the engine must see the new stage or status at the next check
            return pause ? Effect.PAUSED : Effect.ADVANCED;
        });
    }

    /** {enrolled, succeeded} of one stage, summed over the task's buckets. */
    private Mono<long[]> counts(UpgradeTask task, int stage) {
        return BucketSums.of(redis, task, "stage:" + stage + ":enrolled", "stage:" + stage + ":succeeded");
    }

    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.dispose();
        }
    }
}
