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
 * FAILED         → TO_BE_UPGRADED | DOWNLOADING   (a retry, unless the device's retries are exhausted)
 * any but SUCCEEDED → SUCCEEDED when the device reports the target version
 * </pre>
 * A move to FAILED records its {@link FailureKind} (mode {@code timeout} = a timeout, otherwise judged by the
 * state failed from) on the row ({@code failures:<kind>}, {@code failureKind}) and in the bucket's counters
 * ({@code failures:<kind>}), and then either marks the device exhausted ({@code exhausted} = the kind, counter
 * {@code exhausted:<kind>}: the failures of that kind passed its own count, or, for a kind without one, all the
 * device's failures passed the task's retry count) or, when the task has a retry wait, sets {@code retryAt}: now
 * plus the wait doubled per earlier failure, capped, times the device's jitter factor. A retry counts
 * {@code retries:<kind>} of the kind it retries.
 
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
 * '' = any the machine allows), the retries after a download, an install and a timeout failure (-1 = no count of
 * the kind's own), the first retry wait in seconds (0 = none), the device's jitter factor, the longest wait in
 * seconds, the {@link FailureKind} a dialect names for a move to FAILED ('' = judged as above). An empty step
 * leaves the stored step alone. A failure also counts the devices of its stage failed now by kind
 * ({@link FailureKind#counter}, for the abort criteria); leaving FAILED takes that count back. Answers
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
              return (string.lower(s):gsub('_(%%l)', string.upper)) .. 'At'
            end
            local row, stats = KEYS[1], KEYS[2]
            local mode, to, step, desc, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
            local retry, status, onlyFrom = tonumber(ARGV[6]), ARGV[7], ARGV[8]
            local kmax = {download = tonumber(ARGV[9]), install = tonumber(ARGV[10]), timeout = tonumber(ARGV[11]), rejected = -1}
            local anyKind = kmax.download >= 0 or kmax.install >= 0 or kmax.timeout >= 0
            local wait, factor, maxwait = tonumber(ARGV[12]), tonumber(ARGV[13]), tonumber(ARGV[14])
            local named = ARGV[15] or ''
            local cur = redis.call('HGET', row, 'state')
            if not cur then return 'NOT_IN_TASK::' .. to .. ':' end
            local stage = redis.call('HGET', row, 'stage') or '0'
            local nstep = tonumber(step) or 0
            if mode == 'step' then
              if nstep < 0 then to = 'FAILED'
              elseif cur == 'UPGRADING' or nstep >= 100 then to = 'UPGRADING'
              else to = 'DOWNLOADING' end
            end
            if mode == 'timeout' then to = 'FAILED' end
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
                if redis.call('HEXISTS', row, 'exhausted') == 1 or (not anyKind and attempts > retry) then
                  return 'RETRY_LIMIT' .. tail
                end
                redis.call('HINCRBY', row, 'attempts', 1)
                local last = redis.call('HGET', row, 'failureKind')
                if last then redis.call('HINCRBY', stats, 'retries:' .. last, 1) end
                redis.call('HDEL', row, 'retryAt')
              end
              redis.call('HINCRBY', stats, 'stage:' .. stage .. ':failed', -1)
              local was = redis.call('HGET', row, 'failureKind')
              if was then redis.call('HINCRBY', stats, 'stage:' .. stage .. ':failed:' .. was, -1) end
            end
            redis.call('HSET', row, 'state', to, 'desc', desc, 'updatedAt', now, timefield(to), now)
            if step ~= '' then redis.call('HSET', row, 'step', step) end
            redis.call('HINCRBY', stats, 'state:' .. cur, -1)
            redis.call('HINCRBY', stats, 'state:' .. to, 1)
            if to == 'SUCCEEDED' or to == 'FAILED' then
              redis.call('HINCRBY', stats, 'stage:' .. stage .. ':' .. string.lower(to), 1)
            end
            if to == 'FAILED' then
              local kind = '%s'
              if named ~= '' then kind = named
              elseif mode == 'timeout' then kind = '%s'
              elseif cur == 'DOWNLOADED' or cur == 'UPGRADING' then kind = '%s' end
              local n = redis.call('HINCRBY', row, 'failures:' .. kind, 1)
              redis.call('HSET', row, 'failureKind', kind)
              redis.call('HINCRBY', stats, 'failures:' .. kind, 1)
              redis.call('HINCRBY', stats, 'stage:' .. stage .. ':failed:' .. kind, 1)
              local total = tonumber(redis.call('HGET', row, 'attempts') or '1')
              local over = total > retry
              if kmax[kind] >= 0 then over = n > kmax[kind] end
              if over then
                redis.call('HSET', row, 'exhausted', kind)
                redis.call('HINCRBY', stats, 'exhausted:' .. kind, 1)
              elseif wait > 0 then
                local w = math.min(wait * 2 ^ (total - 1), maxwait) * factor
                redis.call('HSET', row, 'retryAt', tonumber(now) + math.ceil(w * 1000))
              end
            end
            return 'APPLIED' .. tail
            """.formatted(FailureKind.DOWNLOAD.key(), FailureKind.TIMEOUT.key(), FailureKind.INSTALL.key()),
            ScriptOutputType.STATUS);

    private StateMachineScript() {
    }
}
