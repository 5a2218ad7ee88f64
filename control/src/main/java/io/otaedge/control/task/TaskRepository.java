package io.otaedge.control.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.redis.LuaScript;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Tasks in Redis: the task JSON and the product's task listing written by one script in the product's tag. */
public final class TaskRepository {

    private static final LuaScript CREATE = new LuaScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return 'NO_PRODUCT' end
            if redis.call('EXISTS', KEYS[4]) == 0 then return 'NO_FIRMWARE' end
            redis.call('SET', KEYS[2], ARGV[1])
            redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
            return 'OK'
            """, ScriptOutputType.STATUS);

    private final RedisAsyncCommands<String, String> redis;

    public TaskRepository(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    public Mono<UpgradeTask> create(UpgradeTask task) {
        String pid = task.productId();
        String[] keys = {RedisKeys.product(pid), RedisKeys.task(pid, task.id()), RedisKeys.tasks(pid),
                RedisKeys.firmware(pid, task.firmwareId())};
        long score = Instant.parse(task.createdAt()).toEpochMilli();
        // The id → product pointer lives in another slot. It goes first: a pointer to a task that
        // never got written only answers 404, while a task without its pointer could not be found by id.
        return Mono.fromCompletionStage(() -> redis.set(RedisKeys.taskOwner(task.id()), pid))
                .then(CREATE.<String>run(redis, keys, Json.string(task), Long.toString(score), task.id()))
                .map(result -> switch (result) {
                    case "OK" -> task;
                    case "NO_PRODUCT" -> throw ApiException.notFound("product_not_found", "no product '" + pid + "'");
                    default -> throw ApiException.badRequest("no firmware '" + task.firmwareId() + "' in product '" + pid + "'");
                });
    }

    /**
     * Overwrites an existing task's record (its status, say); false when there is no such task. Dialects
     * whose management API edits campaigns (MXCHIP FOG's files) use it; the listing is unchanged.
     */
    public Mono<Boolean> replace(UpgradeTask task) {
        return Mono.fromCompletionStage(() -> redis.set(RedisKeys.task(task.productId(), task.id()), Json.string(task),
                        io.lettuce.core.SetArgs.Builder.xx()))
                .map("OK"::equals)
                .defaultIfEmpty(false);
    }

    /** A task by id alone (the admin API addresses tasks without their product). */
    public Mono<UpgradeTask> find(String taskId) {
        if (taskId == null || taskId.isEmpty() || taskId.length() > 64) {
            return Mono.empty();
        }
        return Mono.fromCompletionStage(() -> redis.get(RedisKeys.taskOwner(taskId)))
                .flatMap(pid -> Mono.fromCompletionStage(() -> redis.get(RedisKeys.task(pid, taskId))))
                .map(TaskRepository::decode);
    }

    /** The product's tasks, newest first. */
    public Mono<List<UpgradeTask>> newestFirst(String productId) {
        return Mono.fromCompletionStage(() -> redis.zrevrange(RedisKeys.tasks(productId), 0, -1))
                .flatMap(ids -> ids.isEmpty() ? Mono.just(List.<UpgradeTask>of())
                        : Mono.fromCompletionStage(() -> redis.mget(ids.stream()
                                        .map(id -> RedisKeys.task(productId, id)).toArray(String[]::new)))
                                .map(values -> {
                                    List<UpgradeTask> out = new ArrayList<>(values.size());
                                    values.forEach(kv -> {
                                        if (kv.hasValue()) {
                                            out.add(decode(kv.getValue()));
                                        }
                                    });
                                    return Collections.unmodifiableList(out);
                                }));
    }

    /** Each device's row in a task (state, token, timestamps), in the order devices joined. */
    public Flux<Map<String, String>> deviceRows(String productId, String taskId, int limit) {
        return Mono.fromCompletionStage(() -> redis.zrange(RedisKeys.taskDevices(productId, taskId), 0, limit - 1))
                .flatMapMany(Flux::fromIterable)
                .flatMapSequential(dev -> Mono.fromCompletionStage(() -> redis.hgetall(RedisKeys.deviceTask(productId, taskId, dev)))
                        .map(row -> {
                            Map<String, String> m = new java.util.LinkedHashMap<>();
                            m.put("deviceId", dev);
                            m.putAll(row);
                            return m;
                        }), 64);
    }

    private static UpgradeTask decode(String json) {
        try {
            return Json.mapper().readValue(json, UpgradeTask.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt task record in Redis", e);
        }
    }
}
