package io.otaedge.edge.cell;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.redis.RedisScript;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.edge.metrics.EdgeMetrics;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The download slots of NB-IoT cells, shared by every edge through Redis (Huawei IoTDA's per-cell limit): per cell
 * a sorted set {@code ota:{cell:<s_id>}:slots} of leases, one per download (its token), scored by their expiry
 * (Redis' own clock, so edges' clocks never matter); with a cap split by signal band, one such set per band of the
 * cell ({@code ota:{cell:<s_id>}:slots:<band>}), each with its band's cap.
 *
 * <p>A slot belongs to a device's download, not to one request: NB-IoT devices fetch a firmware in ranges and
 * resume with {@code Range: bytes=<received>-} after their bearer drops, so a slot given back between requests
 * would let a newcomer take it and turn the admitted device away halfway. Each request of a download takes or
 * refreshes the slot ({@link #acquire}: one script prunes expired leases, counts, adds if under the cap or already
 * held); the edge's housekeeping renews it while a request runs ({@link #renew}); the answer that carries the
 * file's last byte shortens it to {@link CellCap#tail()} ({@link Lease#finish}), so the device can still resume
 * that last range if its bearer drops before the bytes reach it; an answer that carried no file bytes gives it back
 * ({@link Lease#release}); between requests it is parked ({@link Lease#park}) and
 * lives one lease more, so a device that went quiet, or whose edge died, frees it within one lease. Nothing here
 * runs per chunk. When Redis cannot answer, the download is served uncapped and counted
 * ({@code ota_edge_cell_unchecked_total}): a cell cap protects radio time, not correctness.
 */
public final class CellSlots {

    private static final Logger log = LoggerFactory.getLogger(CellSlots.class);

    /** KEYS[1] the cell; ARGV cap, lease ms, download. 1 = taken (or already held: refreshed), 0 = the cell is full. */
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

    /**
     * KEYS[1] the cell; ARGV tail ms, member. The download is over: its lease ends within the tail, sooner if it
     * already would (min(expiry, now + tail)); a lease already gone stays gone.
     */
    static final RedisScript TAIL = new RedisScript("""
            if redis.replicate_commands then redis.replicate_commands() end
            local t = redis.call('TIME')
            local last = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
            local cur = redis.call('ZSCORE', KEYS[1], ARGV[2])
            if cur and tonumber(cur) > last then
              redis.call('ZADD', KEYS[1], last, ARGV[2])
            end
            return 1
            """, ScriptOutputType.INTEGER);

    private final RedisClusterAsyncCommands<String, String> redis;
    private final CellCap cap;
    private final EdgeMetrics metrics;
    /** The cap as a script argument, per band (all equal when the cap is one number). */
    private final String[] capArgs;
    private final String leaseArg;
    private final String tailArg;
    private final CellHolds holds;
    /** The slots of requests this edge is answering now, for renewal and the held-slots gauge. */
    private final Set<Lease> held = ConcurrentHashMap.newKeySet();

    public CellSlots(RedisClusterAsyncCommands<String, String> redis, CellCap cap, EdgeMetrics metrics) {
        this.redis = redis;
        this.cap = cap;
        this.metrics = metrics;
        this.capArgs = new String[SignalBand.values().length];
        for (SignalBand b : SignalBand.values()) {
            capArgs[b.ordinal()] = Integer.toString(cap.capOf(b));
        }
        this.leaseArg = Long.toString(cap.lease().toMillis());
        this.tailArg = Long.toString(cap.tail().toMillis());
        this.holds = new CellHolds(redis);
        metrics.bindCellSlots(held::size);
    }

    /** The Redis key of a cell's leases; the cell is its own hash tag. */
    public static String key(String cell) {
        return "ota:{cell:" + cell + "}:slots";
    }

    /** The Redis key of the leases of one band of a cell, with a cap split by band; same tag as the cell's. */
    public static String key(String cell, SignalBand band) {
        return key(cell) + ":" + band.label();
    }

    /**
     * Takes or refreshes the slot of the download {@code grant} names, in the pool of its device's signal band (the
     * signal it reported at its check, {@link CellCap#bands()}); a refusal is recorded under the grant's task
     * ({@link CellHolds}). As {@link #acquire(String, SignalBand, String)} otherwise.
     */
    public CompletionStage<Lease> acquire(String cell, TokenGrant grant) {
        return acquire(cell, cap.bands().of(grant.signal()), grant.token()).thenApply(lease -> {
            if (lease == null) {
                holds.refused(grant);
            }
            return lease;
        });
    }

    /** As {@link #acquire(String, SignalBand, String)} for a device of the poor band (the cautious guess). */
    public CompletionStage<Lease> acquire(String cell, String download) {
        return acquire(cell, SignalBand.POOR, download);
    }

    /**
     * Takes or refreshes the slot of {@code download} (its token), a device of signal {@code band}, in {@code cell}
     * (in the band's own pool when the cap is split by band): completes (on a Lettuce thread, or at once) with the
     * lease, with {@code null} when the pool is full and the download holds no slot in it (counted as a refusal of
     * its band), or with {@link Lease#UNCHECKED} when Redis did not answer. Never completes exceptionally.
     */
    public CompletionStage<Lease> acquire(String cell, SignalBand band, String download) {
        Lease lease = new Lease(this, cap.split() ? key(cell, band) : key(cell), download);
        CompletionStage<Long> taken;
        try {
            taken = ACQUIRE.call(redis, new String[] {lease.key}, capArgs[band.ordinal()], leaseArg, lease.member);
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
                metrics.cellRefused(band.label());
                return null;
            }
            held.add(lease);
            return lease;
        });
    }

    /** Renews the slot of every request this edge is answering; called by the housekeeping every {@link CellCap#renewEvery()}. */
    public void renew() {
        for (Lease l : held) {
            try {
                RENEW.<Long>call(redis, new String[] {l.key}, leaseArg, l.member).whenComplete((r, e) -> {
                    if (e != null) {
                        log.debug("cell slot not renewed", e);
                    } else {
                        l.endAgain(); // released or finished while the renewal was on its way
                    }
                });
            } catch (RuntimeException e) {
                log.debug("cell slot not renewed", e);
            }
        }
    }

    /** The slots of the requests this edge is answering now (parked slots are not counted). */
    public int held() {
        return held.size();
    }

    public CellCap cap() {
        return cap;
    }

    /** One request's hold on its download's slot in one cell; released or parked once, from any thread. */
    public static final class Lease {

        /** Redis did not answer: the download runs without a slot, and nothing is given back. */
        public static final Lease UNCHECKED = new Lease(null, null, null);

        private final CellSlots owner;
        final String key;
        final String member;
        /** Released, finished or parked: this request's hold is over. */
        private final AtomicBoolean ended = new AtomicBoolean();
        /** Released (given back) or finished (shortened to the tail): what a renewal on its way must undo. */
        private volatile End end;

        private enum End { RELEASED, FINISHED }

        private Lease(CellSlots owner, String key, String member) {
            this.owner = owner;
            this.key = key;
            this.member = member;
        }

        /**
         * The request ended but the download did not: the slot stays taken for one lease from its last renewal, for
         * the download's next request; this edge stops renewing it. A no-op after the first release or park.
         */
        public void park() {
            if (owner != null && ended.compareAndSet(false, true)) {
                owner.held.remove(this);
            }
        }

        /**
         * The request used no file bytes (an error, a HEAD) or never started: gives the slot back at once (a no-op after
         * the first release, finish or park, and for {@link #UNCHECKED}).
         */
        public void release() {
            endWith(End.RELEASED);
        }

        /**
         * The answer carried the file's last byte: the slot lives on for {@link CellCap#tail()} at most, for a device
         * that resumes that range because the bytes never reached it, then frees itself (a no-op after the first
         * release, finish or park, and for {@link #UNCHECKED}).
         */
        public void finish() {
            endWith(End.FINISHED);
        }

        private void endWith(End how) {
            if (owner == null || !ended.compareAndSet(false, true)) {
                return;
            }
            end = how;
            owner.held.remove(this);
            endAgain();
        }

        /** Sends the end (again, after a renewal that crossed it); nothing for a parked or running lease. */
        void endAgain() {
            End how = end;
            if (how == null) {
                return;
            }
            try {
                CompletionStage<?> sent = how == End.RELEASED ? owner.redis.zrem(key, member)
                        : TAIL.call(owner.redis, new String[] {key}, owner.tailArg, member);
                sent.exceptionally(e -> {
                    log.debug("cell slot not given back; it expires", e);
                    return null;
                });
            } catch (RuntimeException e) {
                log.debug("cell slot not given back; it expires", e);
            }
        }
    }
}
