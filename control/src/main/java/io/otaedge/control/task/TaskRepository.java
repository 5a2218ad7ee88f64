package io.otaedge.control.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.RedisScript;
import io.otaedge.control.cache.ReadCache;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.redis.ControlKeys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Tasks in Redis: the task JSON and the product's task listing written by one script in the product's tag. */
public final class TaskRepository {

    private static final RedisScript CREATE = new RedisScript("""
            local product = redis.call('GET', KEYS[1])
            if not product then return 'NO_PRODUCT' end
            if cjson.decode(product).status == 'archived' then return 'ARCHIVED' end
            if redis.call('EXISTS', KEYS[4]) == 0 then return 'NO_FIRMWARE' end
            redis.call('SET', KEYS[2], ARGV[1])
            redis.call('SET', KEYS[5], ARGV[4])
            redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
            return 'OK'
            """, ScriptOutputType.STATUS);

    /**
     * The operator's actions on a task's control word {@code <status>:<stage>}. KEYS: control word.
     * ARGV: action, number of stages, target stage for 'advance' ('' = the next one).
     */
    private static final RedisScript CONTROL = new RedisScript("""
            local ctl = redis.call('GET', KEYS[1])
            if not ctl then return 'NONE' end
            local status, stage = string.match(ctl, '^(%u+):(%d+)$')
            stage = tonumber(stage)
            local a = ARGV[1]
            local nxt = status
            if a == 'start' then
              if status ~= 'CREATED' then return 'ILLEGAL:' .. ctl end
              nxt = 'RUNNING'
            elseif a == 'pause' then
              if status ~= 'RUNNING' then return 'ILLEGAL:' .. ctl end
              nxt = 'PAUSED'
            elseif a == 'resume' then
              if status ~= 'PAUSED' then return 'ILLEGAL:' .. ctl end
              nxt = 'RUNNING'
            elseif a == 'stop' then
              if status == 'STOPPED' then return 'ILLEGAL:' .. ctl end
              nxt = 'STOPPED'
            elseif a == 'advance' then
              if status == 'STOPPED' then return 'ILLEGAL:' .. ctl end
              local to = tonumber(ARGV[3]) or (stage + 1)
              if to <= stage or to >= tonumber(ARGV[2]) then return 'BAD_STAGE:' .. ctl end
              stage = to
            else
              return 'ILLEGAL:' .. ctl
            end
            redis.call('SET', KEYS[1], nxt .. ':' .. stage)
            return 'OK:' .. nxt .. ':' .. stage
            """, ScriptOutputType.STATUS);

    /**
     * An edit's compare-and-set. KEYS: task, control word. ARGV: the record the edit was made from, the new record,
     * the new number of stages. A stopped task is final; a stage the new plan lacks is refused.
     */
    private static final RedisScript EDIT = new RedisScript("""
            local cur = redis.call('GET', KEYS[1])
            if not cur then return 'NONE' end
            if cur ~= ARGV[1] then return 'CHANGED' end
            local ctl = redis.call('GET', KEYS[2]) or ''
            local status, stage = string.match(ctl, '^(%u+):(%d+)$')
            if status == 'STOPPED' then return 'STOPPED' end
            if stage and tonumber(stage) >= tonumber(ARGV[3]) then return 'BAD_STAGE' end
            redis.call('SET', KEYS[1], ARGV[2])
            return 'OK'
            """, ScriptOutputType.STATUS);

    /** Edits racing on one task: each retries on the other's result this many times, then gives up with 409. */
    private static final int EDIT_ATTEMPTS = 5;

    /** An operator action on a task. */
    public enum Action {
        START, PAUSE, RESUME, STOP, ADVANCE
    }

    private final RedisClusterAsyncCommands<String, String> redis;
    /** Each product's tasks as the engine reads them on every check, keyed by product id. */
    private final ReadCache<String, List<UpgradeTask>> cache;

    public TaskRepository(RedisClusterAsyncCommands<String, String> redis) {
        this(redis, ReadCache.Policy.OFF);
    }

    /** @param cache how long the check path may use a local copy of a product's tasks */
    public TaskRepository(RedisClusterAsyncCommands<String, String> redis, ReadCache.Policy cache) {
        this.redis = redis;
        this.cache = cache.newCache(10_000);
    }

    /**
     * Drops the local copy of the product's tasks: every write to a task goes through here, and so
     * does the progress script when it pauses a task or advances its stage.
     */
    public void invalidate(String productId) {
        cache.invalidateIf(productId::equals);
    }

    public Mono<UpgradeTask> create(UpgradeTask task) {
        String pid = task.productId();
        String[] keys = {RedisKeys.product(pid), RedisKeys.task(pid, task.id()), RedisKeys.tasks(pid),
                RedisKeys.firmware(pid, task.firmwareId()), ControlKeys.taskControl(pid, task.id())};
        long score = task.createdAt().toEpochMilli();
        // The id → product pointer lives in another slot. It goes first: a pointer to a task that
        // never got written only answers 404, while a task without its pointer could not be found by id.
        return Mono.fromCompletionStage(() -> redis.set(RedisKeys.taskOwner(task.id()), pid))
                .then(CREATE.<String>run(redis, keys, Json.string(task), Long.toString(score), task.id(),
                        controlWord(task.status(), task.stage())))
                .doOnSuccess(result -> invalidate(pid))
                .map(result -> switch (result) {
                    case "OK" -> task;
                    case "NO_PRODUCT" -> throw ApiException.notFound("product_not_found", "no product '" + pid + "'");
                    case "ARCHIVED" -> throw io.otaedge.control.catalog.ProductRepository.archived(pid);
                    default -> throw ApiException.badRequest("no firmware '" + task.firmwareId() + "' in product '" + pid + "'");
                });
    }

    /** A task by id alone (the admin API addresses tasks without their product). */
    public Mono<UpgradeTask> find(String taskId) {
        if (taskId == null || taskId.isEmpty() || taskId.length() > 64) {
            return Mono.empty();
        }
        return Mono.fromCompletionStage(() -> redis.get(RedisKeys.taskOwner(taskId)))
                .flatMap(pid -> Mono.fromCompletionStage(() -> redis.mget(RedisKeys.task(pid, taskId), ControlKeys.taskControl(pid, taskId))))
                .filter(kvs -> kvs.get(0).hasValue())
                .map(kvs -> withControl(decode(kvs.get(0).getValue()), kvs.get(1).getValueOrElse(null)));
    }

    /**
     * Replaces the task's spec with what {@code change} makes of the task as stored now, atomically: the record is
     * written only if nobody changed it since it was read (else read again and retried), and never on a stopped task
     * (409). Empty when there is no such task. Other controls see the edit when their cached copy expires.
     */
    public Mono<UpgradeTask> edit(String taskId, java.util.function.UnaryOperator<UpgradeTask> change) {
        return editAttempt(taskId, change, EDIT_ATTEMPTS);
    }

    private Mono<UpgradeTask> editAttempt(String taskId, java.util.function.UnaryOperator<UpgradeTask> change, int left) {
        if (taskId == null || taskId.isEmpty() || taskId.length() > 64) {
            return Mono.empty();
        }
        return Mono.fromCompletionStage(() -> redis.get(RedisKeys.taskOwner(taskId)))
                .flatMap(pid -> Mono.fromCompletionStage(() -> redis.mget(RedisKeys.task(pid, taskId), ControlKeys.taskControl(pid, taskId)))
                        .filter(kvs -> kvs.get(0).hasValue())
                        .flatMap(kvs -> {
                            String stored = kvs.get(0).getValue();
                            UpgradeTask edited = change.apply(withControl(decode(stored), kvs.get(1).getValueOrElse(null)));
                            String[] keys = {RedisKeys.task(pid, taskId), ControlKeys.taskControl(pid, taskId)};
                            return EDIT.<String>run(redis, keys, stored, Json.string(edited),
                                            Integer.toString(edited.spec().rollout().stages().size()))
                                    .doOnSuccess(result -> invalidate(pid))
                                    .flatMap(result -> switch (result) {
                                        case "OK" -> Mono.just(edited);
                                        case "NONE" -> Mono.<UpgradeTask>empty();
                                        case "STOPPED" -> Mono.<UpgradeTask>error(ApiException.conflict("task_stopped",
                                                "task '" + taskId + "' is STOPPED: a stopped task cannot be edited"));
                                        // CHANGED, or BAD_STAGE (advanced meanwhile): the re-read judges again.
                                        default -> left > 1 ? editAttempt(taskId, change, left - 1)
                                                : Mono.<UpgradeTask>error(ApiException.conflict("task_changed",
                                                        "task '" + taskId + "' kept changing while it was edited; retry"));
                                    });
                        }));
    }

    /** Applies an operator action; 409 when the task's status does not allow it. */
    public Mono<UpgradeTask> control(UpgradeTask task, Action action, Integer stage) {
        String[] keys = {ControlKeys.taskControl(task.productId(), task.id())};
        return CONTROL.<String>run(redis, keys, action.name().toLowerCase(java.util.Locale.ROOT),
                        Integer.toString(task.spec().rollout().stages().size()), stage == null ? "" : stage.toString())
                .doOnSuccess(result -> invalidate(task.productId()))
                .map(result -> {
                    if (result.startsWith("OK:")) {
                        return withControl(task, result.substring(3));
                    }
                    if (result.startsWith("BAD_STAGE:")) {
                        throw ApiException.badRequest("stage must be after the current stage " + task.stage()
                                + " and below " + task.spec().rollout().stages().size());
                    }
                    if (result.equals("NONE")) {
                        throw ApiException.notFound("task_not_found", "no task '" + task.id() + "'");
                    }
                    throw ApiException.conflict("illegal_task_action", "cannot " + action.name().toLowerCase(java.util.Locale.ROOT)
                            + " a task that is " + result.substring(result.indexOf(':') + 1, result.lastIndexOf(':')));
                });
    }

    /**
     * The task's aggregate counters (state counts, per-stage outcomes), summed over its device buckets,
     * and its auto-pause marks: the 64 buckets' hashes and the marks are read together (pipelined).
     */
    public Mono<Map<String, String>> stats(String productId, String taskId) {
        List<Mono<Map<String, String>>> reads = new ArrayList<>(RedisKeys.DEVICE_BUCKETS);
        for (int b = 0; b < RedisKeys.DEVICE_BUCKETS; b++) {
            String key = ControlKeys.taskStats(productId, taskId, b);
            reads.add(Mono.fromCompletionStage(() -> redis.hgetall(key)));
        }
        Mono<Map<String, Long>> sums = Flux.mergeSequential(reads, RedisKeys.DEVICE_BUCKETS, 1)
                .reduce(new TreeMap<String, Long>(), (sum, bucket) -> {
                    bucket.forEach((field, n) -> sum.merge(field, Long.parseLong(n), Long::sum));
                    return sum;
                });
        return Mono.zip(sums, Mono.fromCompletionStage(() -> redis.hgetall(ControlKeys.taskAutoPause(productId, taskId))))
                .map(sm -> {
                    Map<String, String> out = new LinkedHashMap<>();
                    sm.getT1().forEach((field, n) -> out.put(field, Long.toString(n)));
                    out.putAll(sm.getT2());
                    return out;
                });
    }

    /** Why the task's abort criteria stopped it (fields of {@link ControlKeys#taskAbort}); empty when they did not. */
    public Mono<Map<String, String>> abortRecord(String productId, String taskId) {
        return Mono.fromCompletionStage(() -> redis.hgetall(ControlKeys.taskAbort(productId, taskId)));
    }

    /** The task's automatic rollback (fields of {@link ControlKeys#taskRollback}); empty when none was made. */
    public Mono<Map<String, String>> rollbackRecord(String productId, String taskId) {
        return Mono.fromCompletionStage(() -> redis.hgetall(ControlKeys.taskRollback(productId, taskId)));
    }

    public static String controlWord(TaskStatus status, int stage) {
        return status.name() + ":" + stage;
    }

    private static UpgradeTask withControl(UpgradeTask task, String word) {
        if (word == null) {
            return task;
        }
        int colon = word.indexOf(':');
        return task.withControl(TaskStatus.valueOf(word.substring(0, colon)), Integer.parseInt(word.substring(colon + 1)));
    }

    /** The product's tasks, newest first, from a copy at most the catalog cache's TTL old: the engine's view on every check. */
    public Mono<List<UpgradeTask>> newestFirstCached(String productId) {
        return cache.get(productId, this::newestFirst);
    }

    /** The ids of the product's tasks, oldest first (the task list as it is ordered in Redis). */
    public Mono<List<String>> idsOldestFirst(String productId) {
        return Mono.fromCompletionStage(() -> redis.zrange(RedisKeys.tasks(productId), 0, -1));
    }

    /** The product's tasks, newest first, as Redis holds them now (the admin API's view). */
    public Mono<List<UpgradeTask>> newestFirst(String productId) {
        return Mono.fromCompletionStage(() -> redis.zrevrange(RedisKeys.tasks(productId), 0, -1))
                .flatMap(ids -> ids.isEmpty() ? Mono.just(List.<UpgradeTask>of())
                        : Mono.fromCompletionStage(() -> redis.mget(taskAndControlKeys(productId, ids)))
                                .map(values -> {
                                    // One MGET: the task records, then their control words, in the same order.
                                    int n = values.size() / 2;
                                    List<UpgradeTask> out = new ArrayList<>(n);
                                    for (int i = 0; i < n; i++) {
                                        if (values.get(i).hasValue()) {
                                            out.add(withControl(decode(values.get(i).getValue()), values.get(n + i).getValueOrElse(null)));
                                        }
                                    }
                                    return Collections.unmodifiableList(out);
                                }));
    }

    /** Every product's RUNNING tasks as Redis holds them now: what the periodic jobs (task gauges, served-bytes fold) go over. */
    public Flux<UpgradeTask> running() {
        return Mono.fromCompletionStage(() -> redis.smembers(RedisKeys.products()))
                .flatMapMany(Flux::fromIterable)
                .concatMap(this::newestFirst)
                .flatMapIterable(list -> list)
                .filter(t -> t.status() == TaskStatus.RUNNING);
    }

    /**
     * Each device's row in a task (state, token, timestamps), in the order devices joined (ties by device
     * id, as one sorted set would order them): the task's per-bucket device indexes merged ({@link BucketMerge}).
     */
    public Flux<Map<String, String>> deviceRows(String productId, String taskId, int limit) {
        return deviceRows(productId, taskId, null, limit).flatMapIterable(RowPage::rows);
    }

    /** A page of a task's device rows and their index entries (device id, join score), in the same order. */
    public record RowPage(List<Map<String, String>> rows, List<ScoredValue<String>> entries) {
    }

    /** The rows after {@code after} (an index entry a page before ended on; null = from the first), at most {@code limit}. */
    public Mono<RowPage> deviceRows(String productId, String taskId, ScoredValue<String> after, int limit) {
        List<String> indexes = new ArrayList<>(RedisKeys.DEVICE_BUCKETS);
        for (int b = 0; b < RedisKeys.DEVICE_BUCKETS; b++) {
            indexes.add(RedisKeys.taskDevices(productId, taskId, b));
        }
        return BucketMerge.after(redis, indexes, after, limit)
                .flatMap(entries -> Flux.fromIterable(entries)
                        .flatMapSequential(e -> Mono.fromCompletionStage(() -> redis.hgetall(RedisKeys.deviceTask(productId, taskId, e.getValue())))
                                .map(row -> {
                                    Map<String, String> m = new LinkedHashMap<>();
                                    m.put("deviceId", e.getValue());
                                    m.putAll(row);
                                    return m;
                                }), 64)
                        .collectList()
                        .map(rows -> new RowPage(rows, entries)));
    }

    private static String[] taskAndControlKeys(String productId, List<String> ids) {
        String[] keys = new String[ids.size() * 2];
        for (int i = 0; i < ids.size(); i++) {
            keys[i] = RedisKeys.task(productId, ids.get(i));
            keys[ids.size() + i] = ControlKeys.taskControl(productId, ids.get(i));
        }
        return keys;
    }

    private static UpgradeTask decode(String json) {
        try {
            return Json.mapper().readValue(json, UpgradeTask.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt task record in Redis", e);
        }
    }
}
