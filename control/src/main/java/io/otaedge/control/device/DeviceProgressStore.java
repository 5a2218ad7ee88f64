package io.otaedge.control.device;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.redis.LuaScript;
import io.otaedge.control.task.DeviceTaskState;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * A device's state in one task, dialect-free: the row {@link io.otaedge.control.token.TokenIssuer} opens
 * (state {@code TO_BE_UPGRADED}) and the progress devices or apps report afterwards ({@code state},
 * {@code step}, {@code desc}, {@code updatedAt}, {@code confirmedAt}). Only a row that exists is
 * updated (a report for a task the device never got is refused), and a SUCCEEDED row stays so.
 */
public final class DeviceProgressStore {

    /** KEYS: device-task hash. ARGV: state, step, desc, now. Returns the state after the call, or '' without a row. */
    private static final LuaScript REPORT = new LuaScript("""
            local cur = redis.call('HGET', KEYS[1], 'state')
            if not cur then return '' end
            if cur == '%s' then return cur end
            redis.call('HSET', KEYS[1], 'state', ARGV[1], 'step', ARGV[2], 'desc', ARGV[3], 'updatedAt', ARGV[4])
            return ARGV[1]
            """.formatted(DeviceTaskState.SUCCEEDED.name()), ScriptOutputType.VALUE);

    /** KEYS: device-task hash. ARGV: now. Returns 1 when the row exists. */
    private static final LuaScript CONFIRM = new LuaScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('HSET', KEYS[1], 'confirmedAt', ARGV[1])
            return 1
            """, ScriptOutputType.INTEGER);

    private final RedisAsyncCommands<String, String> redis;

    public DeviceProgressStore(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** The device's row in the task; empty when it has none. */
    public Mono<Map<String, String>> find(String productId, String taskId, String deviceId) {
        return Mono.fromCompletionStage(() -> redis.hgetall(RedisKeys.deviceTask(productId, taskId, deviceId)))
                .filter(m -> !m.isEmpty());
    }

    /** Moves the row to {@code state}; the state it holds afterwards, or empty when the device has no row. */
    public Mono<DeviceTaskState> report(String productId, String taskId, String deviceId, DeviceTaskState state,
                                        int step, String desc, long nowMillis) {
        return REPORT.<String>run(redis, new String[] {RedisKeys.deviceTask(productId, taskId, deviceId)},
                        state.name(), Integer.toString(step), desc == null ? "" : desc, Long.toString(nowMillis))
                .filter(s -> !s.isEmpty())
                .map(DeviceTaskState::valueOf);
    }

    /** Records that a user confirmed the upgrade; false when the device has no row in the task. */
    public Mono<Boolean> confirm(String productId, String taskId, String deviceId, long nowMillis) {
        return CONFIRM.<Long>run(redis, new String[] {RedisKeys.deviceTask(productId, taskId, deviceId)}, Long.toString(nowMillis))
                .map(n -> n == 1L);
    }
}
