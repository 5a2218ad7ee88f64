package io.otaedge.control.token;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.RedisScript;
import io.otaedge.common.token.DownloadToken;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.common.token.TokenStore;
import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.redis.ControlKeys;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.RolloutPlan;
import io.otaedge.control.task.TaskRef;
import io.otaedge.control.task.UpgradeTask;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * One download token per (device, task), reused while it is valid. Race-free without locks: the
 * grant is saved first (its key lives in another slot), then one script claims the device's
 * token pointer with SET-if-absent semantics and records the device's state in the task, all in
 * the device's bucket tag (its share of the task's index and counters included). A loser of a concurrent claim revokes its own grant and takes the winner's.
 * The pointer carries a copy of the grant ({@link GrantPointer}), so a device that holds a token
 * is answered from the pointer alone; {@link #revoke} clears the pointer before the grant.
 */
public final class TokenIssuer {

    private static final int MAX_ROUNDS = 3;

    /**
     * KEYS (all in the device's bucket): pointer, device-task hash, the bucket's share of the task's device
     * set and of its counters, device's task history.
     * ARGV: new token, ttl ms, now ms, device id, stale pointer value (a pointer whose grant is gone
     * may be replaced) or '', the device's version, rollout stage, package id, package type, task id,
     * history entry, the new pointer value. Returns the pointer's value after the claim. A device joins the task (state, counters, history) once; later tokens for the
     * same task keep its state, so a re-check in the middle of a download does not rewind it.
     */
    private static final RedisScript CLAIM = new RedisScript("""
            local cur = redis.call('GET', KEYS[1])
            if cur and cur ~= ARGV[5] then return cur end
            redis.call('SET', KEYS[1], ARGV[12], 'PX', ARGV[2])
            if redis.call('HEXISTS', KEYS[2], 'state') == 0 then
              redis.call('HSET', KEYS[2], 'state', '%s', 'stage', ARGV[7], 'attempts', '1', 'offeredAt', ARGV[3],
                '%s', ARGV[3])
              redis.call('HINCRBY', KEYS[4], 'state:%s', 1)
              redis.call('HINCRBY', KEYS[4], 'stage:' .. ARGV[7] .. ':enrolled', 1)
              redis.call('HSET', KEYS[5], ARGV[10], ARGV[11])
            end
            redis.call('HSET', KEYS[2], 'token', ARGV[1], 'fromVersion', ARGV[6], 'packageId', ARGV[8],
              'packageType', ARGV[9], 'updatedAt', ARGV[3])
            redis.call('ZADD', KEYS[3], 'NX', ARGV[3], ARGV[4])
            return ARGV[12]
            """.formatted(DeviceTaskState.TO_BE_UPGRADED.name(), DeviceTaskState.TO_BE_UPGRADED.timeField(),
            DeviceTaskState.TO_BE_UPGRADED.name()), ScriptOutputType.VALUE);

    /** KEYS: pointer. ARGV: token. Deletes the pointer when it names that token (bare or with its copy). */
    private static final RedisScript CLEAR = new RedisScript("""
            local cur = redis.call('GET', KEYS[1])
            if cur and (cur == ARGV[1] or string.sub(cur, 1, #ARGV[1] + 1) == ARGV[1] .. ' ') then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """, ScriptOutputType.INTEGER);

    private final RedisClusterAsyncCommands<String, String> redis;
    private final TokenStore store;
    private final Duration ttl;
    private final Clock clock;
    private final Runnable onIssued;

    /** {@code onIssued} runs once per newly minted token that won its claim (not for reused ones). */
    public TokenIssuer(RedisClusterAsyncCommands<String, String> redis, TokenStore store, Duration ttl, Clock clock,
                       Runnable onIssued) {
        this.onIssued = onIssued;
        this.redis = redis;
        this.store = store;
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * The device's valid token for the task, granting {@code pkg} when a new one is issued; a new grant carries
     * {@code signal}, the signal the device reported at this check (null: none), for the edges' cell cap bands. A
     * token reused keeps the signal of the check that minted it.
     */
    public Mono<TokenGrant> issue(UpgradeTask task, Firmware pkg, String deviceId, String fromVersion, Integer signal) {
        return attempt(task, pkg, deviceId, fromVersion, signal, 0,
                Mono.fromCompletionStage(() -> redis.get(pointer(task, deviceId))));
    }

    /**
     * As {@link #issue(UpgradeTask, Firmware, String, String, Integer)}, with the device's token pointer for the
     * task already read (by the script that recorded the check, see {@link #pointer}).
     */
    public Mono<TokenGrant> issue(UpgradeTask task, Firmware pkg, String deviceId, String fromVersion, Integer signal,
                                  Optional<String> pointerValue) {
        return attempt(task, pkg, deviceId, fromVersion, signal, 0, Mono.justOrEmpty(pointerValue));
    }

    /**
     * The device's token for the task as it stands, without issuing one: the grant its pointer names
     * while that grant is valid; empty when there is none (never issued, expired or revoked).
     */
    public Mono<TokenGrant> current(UpgradeTask task, String deviceId) {
        return Mono.fromCompletionStage(() -> redis.get(pointer(task, deviceId))).flatMap(this::validGrant);
    }

    /**
     * The valid grant a pointer value names: its copy (the pointer lives as long as its grant and is
     * cleared before a revocation), or, for a bare-token pointer, the grant's own key; empty when expired or gone.
     */
    private Mono<TokenGrant> validGrant(String pointerValue) {
        GrantPointer pointer = GrantPointer.decode(pointerValue);
        Mono<TokenGrant> grant = pointer.copy().isPresent() ? Mono.just(pointer.copy().get())
                : Mono.fromCompletionStage(() -> store.find(pointer.token())).flatMap(Mono::justOrEmpty);
        return grant.filter(g -> g.expiresAt() > clock.millis());
    }

    /** The key that names the device's current token for the task. */
    public static String pointer(UpgradeTask task, String deviceId) {
        return RedisKeys.deviceToken(task.productId(), task.id(), deviceId);
    }

    private Mono<TokenGrant> attempt(UpgradeTask task, Firmware pkg, String deviceId, String fromVersion, Integer signal,
                                     int round, Mono<String> pointerValue) {
        return pointerValue
                .flatMap(current -> validGrant(current)
                        .switchIfEmpty(Mono.defer(() -> mint(task, pkg, deviceId, fromVersion, signal, current, round))))
                .switchIfEmpty(Mono.defer(() -> mint(task, pkg, deviceId, fromVersion, signal, "", round)));
    }

    /**
     * Revokes a token at once: the device's pointer to it is cleared first (so no check hands out the
     * copy it carries), then the grant itself. True when the token existed.
     */
    public Mono<Boolean> revoke(String token) {
        return Mono.fromCompletionStage(() -> store.find(token))
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        return Mono.just(false);
                    }
                    TokenGrant g = found.get();
                    String[] keys = {RedisKeys.deviceToken(g.productId(), g.taskId(), g.deviceId())};
                    return CLEAR.<Long>run(redis, keys, token)
                            .then(Mono.fromCompletionStage(() -> store.revoke(token)));
                });
    }

    private Mono<TokenGrant> mint(UpgradeTask task, Firmware fw, String deviceId, String fromVersion, Integer signal,
                                  String stale, int round) {
        long now = clock.millis();
        TokenGrant grant = new TokenGrant(DownloadToken.generate(), task.productId(), fw.id(), fw.sha256(), fw.md5(),
                fw.size(), fw.fileName(), fw.version(), deviceId, task.id(), now, now + ttl.toMillis(), signal);
        String pid = task.productId();
        int bucket = RedisKeys.bucket(deviceId);
        String[] keys = {pointer(task, deviceId), RedisKeys.deviceTask(pid, task.id(), deviceId),
                RedisKeys.taskDevices(pid, task.id(), bucket), ControlKeys.taskStats(pid, task.id(), bucket),
                ControlKeys.deviceTasks(pid, deviceId)};
        String ours = GrantPointer.encode(grant);
        RolloutPlan plan = task.spec().rollout();
        int stage = Math.min(plan.stageOf(task.id(), deviceId), plan.stages().size() - 1);
        return Mono.fromCompletionStage(() -> store.save(grant, ttl))
                .flatMap(saved -> {
                    if (!saved) {
                        // A random 131-bit token clashing with a live one is a bug, not a race.
                        return Mono.error(new IllegalStateException("token collision"));
                    }
                    return CLAIM.<String>run(redis, keys, grant.token(), Long.toString(ttl.toMillis()),
                            Long.toString(now), deviceId, stale, fromVersion, Integer.toString(stage), fw.id(), fw.packageType(),
                            task.id(), TaskRef.of(task).encode(), ours);
                })
                .flatMap(winner -> {
                    if (winner.equals(ours)) {
                        onIssued.run();
                        return Mono.just(grant);
                    }
                    Mono<Boolean> dropOurs = Mono.fromCompletionStage(() -> store.revoke(grant.token()));
                    if (round + 1 >= MAX_ROUNDS) {
                        return dropOurs.then(Mono.error(new IllegalStateException("could not settle the device's token")));
                    }
                    return dropOurs.then(attempt(task, fw, deviceId, fromVersion, signal, round + 1,
                            Mono.fromCompletionStage(() -> redis.get(pointer(task, deviceId)))));
                });
    }
}
