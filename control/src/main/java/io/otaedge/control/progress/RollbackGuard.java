package io.otaedge.control.progress;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.limits.ThrottledLog;
import io.otaedge.control.redis.ControlKeys;
import io.otaedge.control.task.AutoRollback;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.TaskFactory;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.TaskSpec;
import io.otaedge.control.task.TaskStatus;
import io.otaedge.control.task.UpgradeTask;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A task's automatic rollback ({@link AutoRollback}), judged after each failure on the task's outcomes: when the
 * failures reach the threshold, one control (the one whose {@code HSETNX} of the task's rollback hash succeeds)
 * reads which devices are FAILED now, over every bucket, and creates the rollback task for exactly them through
 * {@link TaskFactory}. A failed creation (Redis, a firmware withdrawn since) releases the hash, so the next failure
 * tries again; a task whose failed devices all retried meanwhile gets no rollback (an empty device list would
 * target every device) and keeps its mark.
 */
final class RollbackGuard {

    private static final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(RollbackGuard.class), ThrottledLog.INTERVAL);
    private static final int CONCURRENCY = 16;

    private final RedisClusterAsyncCommands<String, String> redis;
    private final TaskRepository tasks;
    private final FirmwareRepository firmwares;
    private final TaskFactory factory;

    RollbackGuard(RedisClusterAsyncCommands<String, String> redis, TaskRepository tasks, FirmwareRepository firmwares,
                  TaskFactory factory) {
        this.redis = redis;
        this.tasks = tasks;
        this.firmwares = firmwares;
        this.factory = factory;
    }

    /** The rollback task this failure created, if it created one. */
    Mono<UpgradeTask> afterOutcome(UpgradeTask task, DeviceTaskState to, AbortGuard.Outcomes o, long nowMillis) {
        AutoRollback r = task.spec().autoRollback();
        if (r == null || to != DeviceTaskState.FAILED || !r.metBy(o.finished(), o.failed())
                || (task.status() != TaskStatus.RUNNING && task.status() != TaskStatus.PAUSED)) {
            return Mono.empty();
        }
        String key = ControlKeys.taskRollback(task.productId(), task.id());
        return Mono.fromCompletionStage(() -> redis.hsetnx(key, "lockedAt", Long.toString(nowMillis)))
                .filter(Boolean::booleanValue)
                .flatMap(won -> create(task, r, o, key)
                        .onErrorResume(e -> {
                            log.warning("create", "rollback of task " + task.id() + " not created; the next failure retries", e);
                            return Mono.fromCompletionStage(() -> redis.hdel(key, "lockedAt")).then(Mono.empty());
                        }));
    }

    private Mono<UpgradeTask> create(UpgradeTask task, AutoRollback r, AbortGuard.Outcomes o, String key) {
        return failedDevices(task).flatMap(devices -> devices.isEmpty()
                ? Mono.fromCompletionStage(() -> redis.hset(key, "devices", "0")).then(Mono.<UpgradeTask>empty())
                : create(task, r, devices).flatMap(rb -> Mono.fromCompletionStage(() -> redis.hset(key, Map.of("taskId", rb.id(),
                                "devices", Integer.toString(devices.size()), "finished", Long.toString(o.finished()),
                                "failed", Long.toString(o.failed()))))
                        .thenReturn(rb)));
    }

    private Mono<UpgradeTask> create(UpgradeTask task, AutoRollback r, List<String> devices) {
        Mono<Firmware> fw = firmwares.find(task.productId(), r.firmwareId())
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("no firmware " + r.firmwareId())));
        return fw.map(f -> factory.create(task.productId(), f, TaskSpec.rollbackOf(task, devices, factory.defaults()),
                        TaskStatus.RUNNING))
                .flatMap(tasks::create);
    }

    /** The task's devices that are FAILED now, every bucket read in turn, sorted by id. */
    Mono<List<String>> failedDevices(UpgradeTask task) {
        return Flux.range(0, RedisKeys.DEVICE_BUCKETS)
                .concatMap(b -> Mono.fromCompletionStage(() -> redis.zrange(RedisKeys.taskDevices(task.productId(), task.id(), b), 0, -1))
                        .flatMapIterable(ids -> ids))
                .flatMap(did -> Mono.fromCompletionStage(() -> redis.hget(RedisKeys.deviceTask(task.productId(), task.id(), did), "state"))
                        .filter(DeviceTaskState.FAILED.name()::equals)
                        .map(state -> did), CONCURRENCY)
                .sort()
                .collectList();
    }
}
