package io.otaedge.control.progress;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.limits.ThrottledLog;
import io.otaedge.control.task.AbortCriterion;
import io.otaedge.control.task.TaskRef;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.UpgradeTask;
import java.time.Duration;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Records {@code OTA_UPGRADE_TIMEOUT} expiries as failures of kind {@link FailureKind#TIMEOUT}, for the tasks
 * whose abort criteria (TIMED_OUT or ALL) or retry policy count them and only those: elsewhere a timeout stays
 * what it was, a reading ({@link DeviceStanding}). A device that never checks in again would otherwise never be
 * failed (the retry policy fails a timed-out device at its next check). Every interval, each device of such a
 * running task that has been running longer than the timeout is failed through the same path as at a check
 * ({@link DeviceProgressService#timeOut}: from a running state only, so a device that finished meanwhile keeps
 * its outcome), and the move is judged like any failure (abort criteria, failure threshold, retries). Safe on
 * several control instances: of two moves of one device the second finds it FAILED and changes nothing.
 * Cost: one HGETALL per device of such a task per interval (its 64 device indexes read a bucket at a time).
 */
public final class TimeoutSweep implements AutoCloseable {

    private static final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(TimeoutSweep.class), ThrottledLog.INTERVAL);
    private static final int CONCURRENCY = 16;

    private final RedisClusterAsyncCommands<String, String> redis;
    private final TaskRepository tasks;
    private final DeviceProgressService progress;
    private final Duration interval;
    private final Runnable onError;
    private Disposable schedule;

    /** @param onError called once per failed pass (the Redis error count) */
    public TimeoutSweep(RedisClusterAsyncCommands<String, String> redis, TaskRepository tasks, DeviceProgressService progress,
                        Duration interval, Runnable onError) {
        this.redis = redis;
        this.tasks = tasks;
        this.progress = progress;
        this.interval = interval;
        this.onError = onError;
    }

    /** Runs {@link #sweepOnce} every interval, the first one interval from now. */
    public synchronized TimeoutSweep start() {
        if (schedule == null) {
            schedule = Flux.interval(interval, interval)
                    .onBackpressureDrop()
                    .concatMap(tick -> sweepOnce().onErrorResume(e -> {
                        onError.run();
                        log.warning("sweep", "timed-out devices not recorded", e);
                        return Mono.empty();
                    }), 1)
                    .subscribe();
        }
        return this;
    }

    /** One pass over every running task that counts timeouts; the number of devices recorded as timed out. */
    public Mono<Long> sweepOnce() {
        return tasks.running()
                .filter(TimeoutSweep::countsTimeouts)
                .concatMap(t -> sweep(t).onErrorResume(e -> {
                    onError.run();
                    log.warning("task", "timed-out devices of task " + t.id() + " not recorded", e);
                    return Mono.just(0L);
                }))
                .reduce(0L, Long::sum);
    }

    /** The task has an abort criterion or a retry policy that counts timeouts. */
    static boolean countsTimeouts(UpgradeTask task) {
        return task.spec().retries().timeoutsFail()
                || task.spec().abortCriteria().stream().anyMatch(c -> c.failureType() == AbortCriterion.FailureType.TIMED_OUT
                || c.failureType() == AbortCriterion.FailureType.ALL);
    }

    /** One task: its timed-out devices moved to FAILED (kind timeout); how many. */
    public Mono<Long> sweep(UpgradeTask task) {
        TaskRef ref = TaskRef.of(task);
        return Flux.range(0, RedisKeys.DEVICE_BUCKETS)
                .concatMap(b -> Mono.fromCompletionStage(() -> redis.zrange(RedisKeys.taskDevices(task.productId(), task.id(), b), 0, -1))
                        .flatMapIterable(ids -> ids))
                .flatMap(did -> Mono.fromCompletionStage(() -> redis.hgetall(RedisKeys.deviceTask(task.productId(), task.id(), did)))
                        .filter(row -> progress.timedOut(task.productId(), did, task.id(), ref, row))
                        .flatMap(row -> progress.timeOut(task.productId(), did, task.id()))
                        .filter(t -> t.outcome() == Transition.Outcome.APPLIED), CONCURRENCY)
                .count();
    }

    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.dispose();
        }
    }
}
