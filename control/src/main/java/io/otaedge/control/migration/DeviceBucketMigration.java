package io.otaedge.control.migration;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.redis.RedisKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-keys device data written before the device buckets (everything of a product under its one tag
 * {@code ota:{p:<pid>}}) into the buckets' tags, at control start, before any port opens. A global marker
 * ({@value #MARKER}) says it is done, so a start costs one GET afterwards; a fresh Redis gets the marker
 * at once. Controls starting together take a lock ({@link MigrationLock}): one migrates, the others wait for
 * the marker.
 *
 * <p>The plan: every task of every product ({@link TaskRows}, which recounts each bucket's counters from the
 * rows it then holds: {@link BucketRecount}), then the device hashes and histories ({@link DeviceHashes}) and
 * xiaozhi's activations ({@link XiaozhiActivations}), the last two found with one SCAN each. A crash between
 * taking a batch's served bytes and adding them loses those devices' counts (display only; the next download
 * adds again); everything else is idempotent, so a re-run after a crash converges.
 */
public final class DeviceBucketMigration {

    /** Set once the device data is in buckets; its value names the layout. */
    public static final String MARKER = "ota:schema:devices";
    static final String LAYOUT = "buckets-" + RedisKeys.DEVICE_BUCKETS;
    private static final Logger log = LoggerFactory.getLogger(DeviceBucketMigration.class);

    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;

    public DeviceBucketMigration(RedisConnector redis) {
        this.sync = redis.sync();
        this.async = redis.async();
    }

    /** Migrates unless the marker says it is done (or another control is doing it: then waits for it). */
    public void migrateIfNeeded() {
        OnceAtStart.run(sync, MARKER, LAYOUT, "re-keying device data into buckets", this::migrateAll);
    }

    /** Moves every product's old-layout device data into the buckets (idempotent; the marker is the caller's). */
    void migrateAll(String owner) {
        migrateAll(new MigrationLock(sync, owner));
    }

    private void migrateAll(MigrationLock lock) {
        long started = System.nanoTime();
        TaskRows rows = new TaskRows(sync, async, lock);
        List<String> products = new ArrayList<>(sync.smembers(RedisKeys.products()));
        for (String pid : products) {
            for (String taskId : sync.zrange(RedisKeys.tasks(pid), 0, -1)) {
                rows.migrate(pid, taskId);
            }
        }
        long devices = new DeviceHashes(sync, async, lock).migrate();
        long activations = new XiaozhiActivations(sync, async).migrate();
        if (rows.moved() > 0 || devices > 0 || activations > 0) {
            log.info("device data re-keyed into {} buckets per product: {} task rows, {} device hashes and {} xiaozhi"
                            + " activations in {} ms", RedisKeys.DEVICE_BUCKETS, rows.moved(), devices, activations,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }
}
