package io.otaedge.edge.cell;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.redis.RedisScript;
import io.otaedge.edge.metrics.EdgeMetrics;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The download slots of NB-IoT cells, shared by every edge through Redis (Huawei IoTDA's per-cell limit): per cell
 * a sorted set {@code ota:{cell:<s_id>}:slots} of leases {@code <edgeId>:<n>} scored by their expiry (Redis' own
 * clock, so edges' clocks never matter). A download takes a slot when it starts ({@link #acquire}: one script
 * prunes expired leases, counts, adds if under the cap), gives it back when it ends ({@link Lease#release}), and
 * the edge's housekeeping renews the slots of downloads still running ({@link #renew}); a dead edge's slots
 * expire. Nothing here runs per chunk. When Redis cannot answer, the download is served uncapped and counted
 * ({@code ota_edge_cell_unchecked_total}): a cell cap protects radio time, not correctness.
 */
public final class CellSlots {

    private static final Logger log = LoggerFactory.getLogger(CellSlots.class);

    /** KEYS[1] the cell; ARGV cap, lease ms, member. 1 = taken (or already held), 0 = the cell is full. */
    static final RedisScript ACQUIRE = new RedisScript("""
            if redis.replicate_commands then redis.replicate_commands() end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            if redis.call('ZSCORE', KEYS[1], ARGV[3]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
              redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            return 0
            """, ScriptOutputType.INTEGER);

    /**
     * KEYS[1] the cell; ARGV lease ms, member. Puts the lease back even if it had expired (Redis was out of reach
     * longer than a lease): the download still uses the cell, so newcomers must still count it.
     */
    static final RedisScript RENEW = new RedisScript("""
            if redis.replicate_commands then redis.replicate_commands() end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2])
            if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
            end
            return 1
            """, ScriptOutputType.INTEGER);

    private final RedisClusterAsyncCommands<String, String> redis;
    private final CellCap cap;
    private final String edgeId;
    private final EdgeMetrics metrics;
    private final String capArg;
    private final String leaseArg;
    private final AtomicLong sequence = new AtomicLong();
    /** The slots this edge holds, for renewal and the held-slots gauge. */
    private final Set<Lease> held = ConcurrentHashMap.newKeySet();

    public CellSlots(RedisClusterAsyncCommands<String, String> redis, CellCap cap, String edgeId, EdgeMetrics metrics) {
        this.redis = redis;
        this.cap = cap;
        this.edgeId = edgeId;
        this.metrics = metrics;
        this.capArg = Integer.toString(cap.perCell());
        this.leaseArg = Long.toString(cap.lease().toMillis());
        metrics.bindCellSlots(held::size);
    }

    /** The Redis key of a cell's leases; the cell is its own hash tag. */
    public static String key(String cell) {
        return "ota:{cell:" + cell + "}:slots";
    }

    /**
     * Takes a slot of {@code cell}: completes (on a Lettuce thread, or at once) with the lease, with
     * {@code null} when the cell is full (counted as a refusal), or with {@link Lease#UNCHECKED} when Redis did not
     * answer. Never completes exceptionally.
     */
    public CompletionStage<Lease> acquire(String cell) {
        Lease lease = new Lease(this, key(cell), edgeId + ":" + sequence.incrementAndGet());
        CompletionStage<Long> taken;
        try {
            taken = ACQUIRE.call(redis, new String[] {lease.key}, capArg, leaseArg, lease.member);
        } catch (RuntimeException e) {
            taken = CompletableFuture.failedFuture(e);
        }
        return taken.handle((ok, error) -> {
            if (error != null) {
                metrics.cellUnchecked();
                log.debug("cell slot not checked, serving uncapped", error);
                return Lease.UNCHECKED;
            }
            if (ok == null || ok != 1L) {
                metrics.cellRefused();
                return null;
            }
            held.add(lease);
            return lease;
        });
    }

    /** Renews every slot this edge holds; called by the housekeeping every {@link CellCap#renewEvery()}. */
    public void renew() {
        for (Lease l : held) {
            try {
                RENEW.<Long>call(redis, new String[] {l.key}, leaseArg, l.member).whenComplete((r, e) -> {
                    if (e != null) {
                        log.debug("cell slot not renewed", e);
                    } else if (l.released.get()) {
                        redis.zrem(l.key, l.member); // released while the renewal was on its way
                    }
                });
            } catch (RuntimeException e) {
                log.debug("cell slot not renewed", e);
            }
        }
    }

    /** The slots this edge holds now. */
    public int held() {
        return held.size();
    }

    public CellCap cap() {
        return cap;
    }

    /** One download's slot in one cell; released once, from any thread. */
    public static final class Lease {

        /** Redis did not answer: the download runs without a slot, and nothing is given back. */
        public static final Lease UNCHECKED = new Lease(null, null, null);

        private final CellSlots owner;
        final String key;
        final String member;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(CellSlots owner, String key, String member) {
            this.owner = owner;
            this.key = key;
            this.member = member;
        }

        /** Gives the slot back (a no-op after the first call and for {@link #UNCHECKED}). */
        public void release() {
            if (owner == null || !released.compareAndSet(false, true)) {
                return;
            }
            owner.held.remove(this);
            try {
                owner.redis.zrem(key, member).exceptionally(e -> {
                    log.debug("cell slot not released; it expires", e);
                    return 0L;
                });
            } catch (RuntimeException e) {
                log.debug("cell slot not released; it expires", e);
            }
        }
    }
}
