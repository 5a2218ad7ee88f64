package io.otaedge.control.task;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.redis.RedisScript;
import io.otaedge.control.redis.ControlKeys;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Enforces a task's {@link RolloutRate} for every control instance at once: one script on the task's keys
 * (the product's tag) counts the devices let in during the current minute of the caller's clock and lets one
 * more in only while that count is under the rate in force. Accuracy: exactly at most N per clock minute
 * (the count and the check are one atomic step); any 60 s that straddles a minute boundary may see up to 2N,
 * and instances whose clocks disagree by s seconds shift their minutes by s. A device let in whose token claim
 * then loses a race still used its place (the rate errs low, never high).
 */
public final class RolloutRateGate {

    static final long MINUTE_MS = 60_000;
    /** Exponential rates stop growing here, so the script never handles an infinite number. */
    static final long RATE_CEILING = 1_000_000_000L;

    /**
     * KEYS: the minute's window counter, the task's rate totals. ARGV: maximum per minute (0 = none), base rate
     * (0 = fixed rate), factor, increment-by, window ttl ms, ceiling. Returns {1 if let in else 0, rate in force}.
     */
    private static final RedisScript ADMIT = new RedisScript("""
            local enrolled = tonumber(redis.call('HGET', KEYS[2], 'enrolled') or '0')
            local max = tonumber(ARGV[1])
            local rate = max
            if tonumber(ARGV[2]) > 0 then
              rate = math.floor(tonumber(ARGV[2]) * tonumber(ARGV[3]) ^ math.floor(enrolled / tonumber(ARGV[4])))
              if rate > tonumber(ARGV[6]) then rate = tonumber(ARGV[6]) end
              if max > 0 and rate > max then rate = max end
            end
            local n = tonumber(redis.call('GET', KEYS[1]) or '0')
            if n >= rate then
              redis.call('HINCRBY', KEYS[2], 'held', 1)
              return {0, rate}
            end
            redis.call('INCR', KEYS[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            redis.call('HINCRBY', KEYS[2], 'enrolled', 1)
            return {1, rate}
            """, ScriptOutputType.MULTI);

    /**
     * @param admitted          the device may be enrolled now
     * @param perMinute         the rate in force
     * @param retryAfterSeconds for a held device: when the next minute starts (at least 1)
     */
    public record Admission(boolean admitted, long perMinute, int retryAfterSeconds) {
    }

    /** A task's rate figures for its view: the rate in force now, devices let in, checks held back. */
    public record Figures(long perMinute, long enrolled, long held) {
    }

    private final RedisClusterAsyncCommands<String, String> redis;

    public RolloutRateGate(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** Lets one more new device into the task at {@code nowMs}, or holds it back until the next minute. */
    public Mono<Admission> admit(UpgradeTask task, long nowMs) {
        RolloutRate r = task.spec().rate();
        long minute = Math.floorDiv(nowMs, MINUTE_MS);
        String[] keys = {ControlKeys.taskRateWindow(task.productId(), task.id(), minute),
                ControlKeys.taskRateTotals(task.productId(), task.id())};
        int retryAfter = (int) Math.max(1, ((minute + 1) * MINUTE_MS - nowMs + 999) / 1000);
        return ADMIT.<List<Object>>run(redis, keys,
                        String.valueOf(r.maximumPerMinute() == null ? 0 : r.maximumPerMinute()),
                        String.valueOf(r.exponential() ? r.baseRatePerMinute() : 0),
                        String.valueOf(r.exponential() ? r.incrementFactor() : 1),
                        String.valueOf(r.exponential() ? r.incrementBy() : 1),
                        String.valueOf(2 * MINUTE_MS), String.valueOf(RATE_CEILING))
                .map(out -> new Admission((Long) out.get(0) == 1, (Long) out.get(1), retryAfter));
    }

    /** The task's figures; zeros for a task nobody was let into yet. */
    public Mono<Figures> figures(UpgradeTask task) {
        return Mono.fromCompletionStage(() -> redis.hgetall(ControlKeys.taskRateTotals(task.productId(), task.id())))
                .defaultIfEmpty(Map.of())
                .map(h -> {
                    long enrolled = Long.parseLong(h.getOrDefault("enrolled", "0"));
                    long perMinute = Math.min(task.spec().rate().perMinuteAfter(enrolled), RATE_CEILING);
                    return new Figures(perMinute, enrolled, Long.parseLong(h.getOrDefault("held", "0")));
                });
    }
}
