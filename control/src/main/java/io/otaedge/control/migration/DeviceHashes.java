package io.otaedge.control.migration;

import static io.otaedge.control.migration.MigrationCalls.MERGE;
import static io.otaedge.control.migration.MigrationCalls.join;
import static io.otaedge.control.migration.MigrationCalls.pairs;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.redis.ControlKeys;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device hashes and task histories ({@code ota:{p:<pid>}:dev:<did>} and {@code …:tasks}), found with one SCAN:
 * merged into the device's bucket (fields already there are newer and stay), then deleted.
 */
final class DeviceHashes {

    private static final Logger log = LoggerFactory.getLogger(DeviceHashes.class);

    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;
    private final MigrationLock lock;
    private long devices;

    DeviceHashes(RedisClusterCommands<String, String> sync, RedisClusterAsyncCommands<String, String> async,
                 MigrationLock lock) {
        this.sync = sync;
        this.async = async;
        this.lock = lock;
    }

    /** Answers how many devices (histories not counted). */
    long migrate() {
        devices = 0;
        KeyScan.forEach(sync, "ota:{p:*}:dev:*", this::move);
        return devices;
    }

    private void move(String key) {
        OldDeviceKey old = OldDeviceKey.parse(key);
        if (old == null) {
            return;
        }
        Map<String, String> fields = sync.hgetall(key);
        String target = old.history() ? ControlKeys.deviceTasks(old.productId(), old.deviceId())
                : RedisKeys.device(old.productId(), old.deviceId());
        if (!fields.isEmpty()) {
            join(MERGE.call(async, new String[] {target}, pairs(fields)));
        }
        sync.del(key);
        devices += old.history() ? 0 : 1;
        if (devices % 10_000 == 0 && !old.history()) {
            lock.renew();
            log.info("re-keying device data: {} device hashes so far", devices);
        }
    }
}
