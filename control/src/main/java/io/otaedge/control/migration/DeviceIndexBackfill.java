package io.otaedge.control.migration;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.RedisScript;
import io.otaedge.control.redis.ControlKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts every device hash into its bucket's device index ({@code ota:{p:<pid>:<b>}:devices}, the admin device
 * listing's), once per Redis, at control start after the re-key into buckets. Devices stored before the index
 * existed are otherwise missing from {@code GET /admin/v1/products/{p}/devices} until they next check in.
 *
 * <p>The hashes have no index to walk (that is the point), so they are found with one SCAN over every master
 * ({@link KeyScan}), a page at a time, each page's entries added with one script call per device, sent together.
 * The script adds the entry only while the device's hash exists and only where it is absent ({@code ZADD NX}), so a
 * device checking in meanwhile (its own script adds the same entry) or removed meanwhile is never left with a wrong
 * entry: the index's scores are all 0 (the listing orders by id, {@code ZRANGE BYLEX}), and an entry already there
 * is never touched. A marker ({@value #MARKER}) makes later starts cost one GET; controls starting together share
 * the start-up {@link MigrationLock}: one scans, the others wait for the marker. A crash mid-way leaves the marker
 * unset and the next start scans again (every step can run twice).
 */
public final class DeviceIndexBackfill {

    /** Set once every device hash has its index entry; its value names the back-fill's version. */
    public static final String MARKER = "ota:schema:device-index";
    static final String DONE = "v1";
    /** Devices looked at between two progress lines. */
    static final long LOG_EVERY = 10_000;
    private static final Logger log = LoggerFactory.getLogger(DeviceIndexBackfill.class);

    /**
     * KEYS: the device hash, its bucket's device index, optionally the hash of the device whose history the first key
     * may be instead. ARGV: the device id. Answers 1 when it added the entry, 0 when the entry was there or the hash
     * is gone, -1 when the first key is that other device's history (its hash exists).
     */
    private static final RedisScript INDEX = new RedisScript("""
            if KEYS[3] and redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            return redis.call('ZADD', KEYS[2], 'NX', 0, ARGV[1])
            """, ScriptOutputType.INTEGER);

    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;

    public DeviceIndexBackfill(RedisConnector redis) {
        this.sync = redis.sync();
        this.async = redis.async();
    }

    /** Back-fills unless the marker says it is done (or another control is doing it: then waits for it). */
    public boolean backfillIfNeeded() {
        return OnceAtStart.run(sync, MARKER, DONE, "back-filling the device index", this::backfill);
    }

    /** What one pass found. */
    record Result(long examined, long added) {
    }

    /** One pass over every device hash (idempotent; the marker is the caller's). */
    Result backfill(MigrationLock lock) {
        long started = System.nanoTime();
        long[] examined = {0};
        long[] added = {0};
        KeyScan.forEachPage(sync, "ota:{p:*}:dev:*", keys -> {
            List<CompletableFuture<Long>> calls = new ArrayList<>(keys.size());
            for (String key : keys) {
                DeviceHashKey device = DeviceHashKey.parse(key);
                if (device != null) {
                    calls.add(index(device).toCompletableFuture());
                }
            }
            for (CompletableFuture<Long> call : calls) {
                long answer = call.join();
                examined[0] += answer >= 0 ? 1 : 0;
                added[0] += answer > 0 ? 1 : 0;
                if (answer >= 0 && examined[0] % LOG_EVERY == 0) {
                    log.info("back-filling the device index: {} devices looked at, {} added so far", examined[0], added[0]);
                }
            }
            lock.renew();
        });
        if (examined[0] > 0) {
            log.info("device index back-filled: {} devices looked at, {} were missing from the index and were added, in {} ms",
                    examined[0], added[0], TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
        return new Result(examined[0], added[0]);
    }

    private CompletionStage<Long> index(DeviceHashKey d) {
        String index = ControlKeys.deviceIndex(d.productId(), d.bucket());
        String[] keys = d.historyOf() == null ? new String[] {d.key(), index}
                : new String[] {d.key(), index, RedisKeys.device(d.productId(), d.historyOf())};
        return INDEX.call(async, keys, new String[] {d.deviceId()});
    }
}
