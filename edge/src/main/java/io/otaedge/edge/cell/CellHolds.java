package io.otaedge.edge.cell;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.RedisScript;
import io.otaedge.common.token.TokenGrant;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records, per task, the devices a full cell turned away ({@link RedisKeys#taskCellHeld}): the task view's
 * {@code heldByCellCap}. One fire-and-forget script per refusal, never per chunk: a HyperLogLog of device ids (distinct
 * devices in 12 KiB at most, however many retries), its expiry pushed to {@link #KEPT} after the last refusal so a
 * finished task's record goes by itself.
 */
public final class CellHolds {

    private static final Logger log = LoggerFactory.getLogger(CellHolds.class);

    /** How long a task's record outlives its last refusal. */
    public static final Duration KEPT = Duration.ofDays(30);

    /** KEYS[1] the task's record; ARGV device id, expiry ms. */
    static final RedisScript RECORD = new RedisScript("""
            redis.call('PFADD', KEYS[1], ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return 1
            """, ScriptOutputType.INTEGER);

    private static final String KEPT_ARG = Long.toString(KEPT.toMillis());

    private final RedisClusterAsyncCommands<String, String> redis;

    public CellHolds(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** The device {@code grant} was issued to was refused a slot: counted under its task. Never throws. */
    public void refused(TokenGrant grant) {
        if (grant.taskId() == null || grant.deviceId() == null) {
            return;
        }
        try {
            RECORD.call(redis, new String[] {RedisKeys.taskCellHeld(grant.taskId())}, grant.deviceId(), KEPT_ARG)
                    .exceptionally(e -> {
                        log.debug("cell refusal not recorded for task {}", grant.taskId(), e);
                        return null;
                    });
        } catch (RuntimeException e) {
            log.debug("cell refusal not recorded for task {}", grant.taskId(), e);
        }
    }
}
