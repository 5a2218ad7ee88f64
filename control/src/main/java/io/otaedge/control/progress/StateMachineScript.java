package io.otaedge.control.progress;

import io.lettuce.core.ScriptOutputType;
import io.otaedge.common.redis.RedisScript;

/**
 * The per-device, per-task state machine as one Lua script, so a report moves the state and the
 * bucket's share of the task's per-state and per-stage counters (HINCRBY, never a SCAN) at once. Legal moves:
 * <pre>
 * TO_BE_UPGRADED → DOWNLOADING | DOWNLOADED | UPGRADING | FAILED   (progress reports are optional)
 * DOWNLOADING    → DOWNLOADED | UPGRADING | FAILED
 * DOWNLOADED     → UPGRADING | SUCCEEDED | FAILED
 * UPGRADING      → SUCCEEDED | FAILED
 * FAILED         → TO_BE_UPGRADED | DOWNLOADING   (a retry, at most the task's retry count)
 * any but SUCCEEDED → SUCCEEDED when the device reports the target version
 * </pre>
 * A repeated state refreshes step and description while DOWNLOADING, UPGRADING or FAILED (a later
 * failure code replaces the earlier one). The allowed-from states are checked first, a repeat
 * included: a dialect rule that does not name the current state refuses even the same state again
 * (OneNET: no step 100 while upgrading, no second failure code on a failed task); a rule that names
 * it keeps the repeat idempotent.
 *
 * <p>Both keys are in the device's bucket: the task's status comes in as ARGV (read with the task just
 * before), and what a final outcome does to the task (the failure threshold, auto-advance) is judged on
 * the sums over every bucket afterwards, by {@link StageGuard}.
 * KEYS: device-task hash, the bucket's task counters. ARGV: mode (state|step|version), wanted state, step,
 * description, now, retry count, the task's status, the states the move is allowed from (comma-separated,
 * '' = any the machine allows), the {@link FailureKind} of a move to FAILED ('' = FAILED). An empty step leaves
 * the stored step alone. A failure stores its kind on the row and, unless it is FAILED, counts it per stage
 * ({@link FailureKind#counter}); leaving FAILED takes that count back with the stage's failure. Answers
 * {@code <OUTCOME>:<from>:<to>:<the row's stage>}.
 */
final class StateMachineScript {

    static final RedisScript SCRIPT = new RedisScript("""
            local T = {
              TO_BE_UPGRADED = {DOWNLOADING = true, DOWNLOADED = true, UPGRADING = true, FAILED = true},
              DOWNLOADING = {DOWNLOADED = true, UPGRADING = true, FAILED = true},
              DOWNLOADED = {UPGRADING = true, SUCCEEDED = true, FAILED = true},
              UPGRADING = {SUCCEEDED = true, FAILED = true},
              FAILED = {TO_BE_UPGRADED = true, DOWNLOADING = true},
              SUCCEEDED = {}
            }
            local function timefield(s)
              return (string.lower(s):gsub('_(%l)', string.upper)) .. 'At'
            end
            local row, stats = KEYS[1], KEYS[2]
            local mode, to, step, desc, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
            local retry, status, onlyFrom = tonumber(ARGV[6]), ARGV[7], ARGV[8]
            local kind = ARGV[9]
            if kind == nil or kind == '' then kind = 'FAILED' end
            local cur = redis.call('HGET', row, 'state')
            if not cur then return 'NOT_IN_TASK::' .. to .. ':' end
            local stage = redis.call('HGET', row, 'stage') or '0'
            local nstep = tonumber(step) or 0
            if mode == 'step' then
              if nstep < 0 then to = 'FAILED'
              elseif cur == 'UPGRADING' or nstep >= 100 then to = 'UPGRADING'
              else to = 'DOWNLOADING' end
            end
            local tail = ':' .. cur .. ':' .. to .. ':' .. stage
            if status == 'STOPPED' then return 'CANCELLED' .. tail end
            if onlyFrom ~= '' and not string.find(',' .. onlyFrom .. ',', ',' .. cur .. ',', 1, true) then
              return 'ILLEGAL' .. tail
            end
            if to == cur then
              if (cur == 'DOWNLOADING' or cur == 'UPGRADING' or cur == 'FAILED') and step ~= '' then
                redis.call('HSET', row, 'step', step, 'desc', desc, 'updatedAt', now)
              end
              return 'UNCHANGED' .. tail
            end
            local allowed = T[cur][to]
            if mode == 'version' and to == 'SUCCEEDED' and cur ~= 'SUCCEEDED' then allowed = true end
            if not allowed then return 'ILLEGAL' .. tail end
            if cur == 'FAILED' then
              if to ~= 'SUCCEEDED' then
                local attempts = tonumber(redis.call('HGET', row, 'attempts') or '1')
                if attempts > retry then return 'RETRY_LIMIT' .. tail end
                redis.call('HINCRBY', row, 'attempts', 1)
              end
              redis.call('HINCRBY', stats, 'stage:' .. stage .. ':failed', -1)
              local was = redis.call('HGET', row, 'failureKind')
              if was and was ~= 'FAILED' then
                redis.call('HINCRBY', stats, 'stage:' .. stage .. ':failed:' .. was, -1)
              end
            end
            redis.call('HSET', row, 'state', to, 'desc', desc, 'updatedAt', now, timefield(to), now)
            if step ~= '' then redis.call('HSET', row, 'step', step) end
            redis.call('HINCRBY', stats, 'state:' .. cur, -1)
            redis.call('HINCRBY', stats, 'state:' .. to, 1)
            if to == 'SUCCEEDED' or to == 'FAILED' then
              redis.call('HINCRBY', stats, 'stage:' .. stage .. ':' .. string.lower(to), 1)
            end
            if to == 'FAILED' then
              redis.call('HSET', row, 'failureKind', kind)
              if kind ~= 'FAILED' then redis.call('HINCRBY', stats, 'stage:' .. stage .. ':failed:' .. kind, 1) end
            end
            return 'APPLIED' .. tail
            """, ScriptOutputType.STATUS);

    private StateMachineScript() {
    }
}
