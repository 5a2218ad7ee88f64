package io.otaedge.control.progress;

import io.lettuce.core.KeyValue;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.progress.ServedBytes;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.limits.ThrottledLog;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.UpgradeTask;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The periodic job that records what the edges served as device states, so reads never have to: every
 * interval, for every RUNNING task, each device the edges served bytes to that is still TO_BE_UPGRADED moves
 * to DOWNLOADING through the state machine ({@link DeviceProgressService#foldServed}). Every control instance
 * runs it; that is safe, since a fold applies only from TO_BE_UPGRADED, atomically: a device is moved (and
 * counted) once however many folds race. It reads the task's served devices (not its device list), so it
 * has no per-task device limit. A failed pass is counted, logged (throttled) and tried again next interval.
 */
public final class ServedBytesFold implements AutoCloseable {

    private static final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(ServedBytesFold.class), ThrottledLog.INTERVAL);
    /** Devices looked at concurrently within one task (their rows are read, pipelined, on the shared connection). */
    private static final int CONCURRENCY = 16;

    private final RedisClusterAsyncCommands<String, String> redis;
    private final TaskRepository tasks;
    private final DeviceProgressService progress;
    private final DownloadProgressStore served;
    private final Duration interval;
    private final Runnable onError;
    private Disposable schedule;

    /** @param onError called once per failed pass (the Redis error count) */
    public ServedBytesFold(RedisClusterAsyncCommands<String, String> redis, TaskRepository tasks, DeviceProgressService progress,
                           Duration interval, Runnable onError) {
        this.redis = redis;
        this.tasks = tasks;
        this.progress = progress;
        this.served = new DownloadProgressStore(redis);
        this.interval = interval;
        this.onError = onError;
    }

    /** Runs {@link #foldOnce} every interval, the first one interval from now. */
    public synchronized ServedBytesFold start() {
        if (schedule == null) {
            schedule = Flux.interval(interval, interval)
                    .onBackpressureDrop()
                    .concatMap(tick -> foldOnce().onErrorResume(e -> {
                        failed("fold", "served bytes not folded into device states", e);
                        return Mono.empty();
                    }), 1)
                    .subscribe();
        }
        return this;
    }

    /**
     * One pass over every running task; the number of devices it moved. A task that fails (a Redis error, a
     * malformed count) is counted and logged, and the pass goes on with the next task.
     */
    public Mono<Long> foldOnce() {
        return tasks.running()
                .concatMap(t -> fold(t).onErrorResume(e -> {
                    failed("task", "served bytes of task " + t.id() + " not folded into device states", e);
                    return Mono.just(0L);
                }))
                .reduce(0L, Long::sum);
    }

    /** One task's part of a pass: the number of its devices moved. */
    public Mono<Long> fold(UpgradeTask task) {
        return Mono.fromCompletionStage(() -> served.forTask(task.productId(), task.id()))
                .flatMapIterable(Map::entrySet)
                .filter(e -> e.getValue().bytes() > 0)
                .flatMap(e -> fold(task, e.getKey(), e.getValue()), CONCURRENCY)
                .filter(Boolean::booleanValue)
                .count();
    }

    private Mono<Boolean> fold(UpgradeTask task, String deviceId, ServedBytes bytes) {
        String row = RedisKeys.deviceTask(task.productId(), task.id(), deviceId);
        return Mono.fromCompletionStage(() -> redis.hmget(row, "state", "packageId"))
                .filter(kvs -> kvs.get(0).hasValue() && DeviceTaskState.TO_BE_UPGRADED.name().equals(kvs.get(0).getValue()))
                .flatMap(kvs -> progress.packageSizes().of(task.productId(), value(kvs, 1), task.firmware()))
                .flatMap(size -> progress.foldServed(task.productId(), deviceId, task.id(), DeviceTaskState.TO_BE_UPGRADED,
                        bytes, size))
                .defaultIfEmpty(false);
    }

    private void failed(String kind, String message, Throwable e) {
        onError.run();
        log.warning(kind, message, e);
    }

    private static String value(List<KeyValue<String, String>> kvs, int i) {
        return kvs.get(i).getValueOrElse(null);
    }

    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.dispose();
        }
    }
}
