package io.otaedge.control.task;

import io.otaedge.control.redis.ControlKeys;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import reactor.core.publisher.Mono;

/**
 * Counts the checks a task's maintenance windows held back (for the task view, shared by every control instance)
 * and tells the metric. The decision itself needs no Redis: {@link MaintenanceWindows#openAt} on the caller's clock.
 */
public final class WindowHolds {

    private static final String HELD = "held";

    private final RedisClusterAsyncCommands<String, String> redis;
    private final Runnable onHeld;

    /** @param onHeld runs once per check held back by a window (a metric) */
    public WindowHolds(RedisClusterAsyncCommands<String, String> redis, Runnable onHeld) {
        this.redis = redis;
        this.onHeld = onHeld;
    }

    /** Counts one check of {@code task} held back by its windows. */
    public Mono<Void> held(UpgradeTask task) {
        onHeld.run();
        return Mono.fromCompletionStage(() -> redis.hincrby(ControlKeys.taskWindowHolds(task.productId(), task.id()), HELD, 1))
                .then();
    }

    /** How many checks of {@code task} its windows held back so far. */
    public Mono<Long> count(UpgradeTask task) {
        return Mono.fromCompletionStage(() -> redis.hget(ControlKeys.taskWindowHolds(task.productId(), task.id()), HELD))
                .map(Long::parseLong)
                .defaultIfEmpty(0L);
    }
}
