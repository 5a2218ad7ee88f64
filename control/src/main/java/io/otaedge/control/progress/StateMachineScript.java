package io.otaedge.control.progress;

import io.lettuce.core.ScriptOutputType;
import io.otaedge.common.redis.RedisScript;

/**
 * The per-device, per-task state machine as one Lua script, so a report moves the state, the task's
 * per-state and per-stage counters (HINCRBY, never a SCAN) and, when a stage's failure rate passes
 * the threshold, the task's control word, all at once. Legal moves:
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
 * KEYS: device-task hash, task counters, task control word. ARGV: mode (state|step|version), wanted
 * state, step, description, now, retry count, failure threshold (-1 = none), minimum sample,
 * auto-advance (1|0), number of stages, the states the move is allowed from (comma-separated, '' = any
 * the machine allows). An empty step leaves the stored step alone. Answers {@code <OUTCOME>:<from>:<to>[:AUTO_PAUSED|:ADVANCED]}.
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
            local row, stats, ctl = KEYS[1], KEYS[2], KEYS[3]
            local mode, to, step, desc, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
            local retry, threshold, minSample = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
            local autoAdvance, stageCount, onlyFrom = ARGV[9], tonumber(ARGV[10]), ARGV[11]
            local cur = redis.call('HGET', row, 'state')
            if not cur then return 'NOT_IN_TASK::' .. to end
            local word = redis.call('GET', ctl) or 'RUNNING:0'
            local status, curStage = string.match(word, '^(%u+):(%d+)$')
            curStage = tonumber(curStage)
            local nstep = tonumber(step) or 0
            if mode == 'step' then
              if nstep < 0 then to = 'FAILED'
              elseif cur == 'UPGRADING' or nstep >= 100 then to = 'UPGRADING'
              else to = 'DOWNLOADING' end
            end
            if status == 'STOPPED' then return 'CANCELLED:' .. cur .. ':' .. to end
            if onlyFrom ~= '' and not string.find(',' .. onlyFrom .. ',', ',' .. cur .. ',', 1, true) then
              return 'ILLEGAL:' .. cur .. ':' .. to
            end
            if to == cur then
              if (cur == 'DOWNLOADING' or cur == 'UPGRADING' or cur == 'FAILED') and step ~= '' then
                redis.call('HSET', row, 'step', step, 'desc', desc, 'updatedAt', now)
              end
              return 'UNCHANGED:' .. cur .. ':' .. to
            end
            local allowed = T[cur][to]
            if mode == 'version' and to == 'SUCCEEDED' and cur ~= 'SUCCEEDED' then allowed = true end
            if not allowed then return 'ILLEGAL:' .. cur .. ':' .. to end
            local stage = redis.call('HGET', row, 'stage') or '0'
            if cur == 'FAILED' then
              if to ~= 'SUCCEEDED' then
                local attempts = tonumber(redis.call('HGET', row, 'attempts') or '1')
                if attempts > retry then return 'RETRY_LIMIT:' .. cur .. ':' .. to end
                redis.call('HINCRBY', row, 'attempts', 1)
              end
              redis.call('HINCRBY', stats, 'stage:' .. stage .. ':failed', -1)
            end
            redis.call('HSET', row, 'state', to, 'desc', desc, 'updatedAt', now, timefield(to), now)
            if step ~= '' then redis.call('HSET', row, 'step', step) end
            redis.call('HINCRBY', stats, 'state:' .. cur, -1)
            redis.call('HINCRBY', stats, 'state:' .. to, 1)
            local result = 'APPLIED:' .. cur .. ':' .. to
            if to == 'SUCCEEDED' or to == 'FAILED' then
              redis.call('HINCRBY', stats, 'stage:' .. stage .. ':' .. string.lower(to), 1)
              local succ = tonumber(redis.call('HGET', stats, 'stage:' .. stage .. ':succeeded') or '0')
              local fail = tonumber(redis.call('HGET', stats, 'stage:' .. stage .. ':failed') or '0')
              local n = succ + fail
              if status == 'RUNNING' and n >= minSample then
                if to == 'FAILED' and threshold >= 0 and fail * 100 > threshold * n then
                  redis.call('SET', ctl, 'PAUSED:' .. curStage)
                  redis.call('HSET', stats, 'autoPausedAt', now, 'autoPausedStage', stage)
                  result = result .. ':AUTO_PAUSED'
                elseif to == 'SUCCEEDED' and autoAdvance == '1' and tonumber(stage) == curStage
                    and curStage + 1 < stageCount and (threshold < 0 or fail * 100 <= threshold * n) then
                  redis.call('SET', ctl, 'RUNNING:' .. (curStage + 1))
                  result = result .. ':ADVANCED'
                end
              end
            end
            return result
            """, ScriptOutputType.STATUS);

    private StateMachineScript() {
    }
}
