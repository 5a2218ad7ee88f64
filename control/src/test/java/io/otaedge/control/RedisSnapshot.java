package io.otaedge.control;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.otaedge.common.redis.RedisConnector;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every Redis key whose name holds one of the given strings (a product id, a task id), each with its DUMP (the
 * serialized value, type and encoding included): two equal snapshots mean nothing under those names was written.
 */
public final class RedisSnapshot {

    private RedisSnapshot() {
    }

    public static Map<String, String> of(RedisConnector redis, String... nameParts) {
        RedisClusterCommands<String, String> sync = redis.sync();
        Map<String, String> out = new TreeMap<>();
        for (String part : nameParts) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = sync.scan(cursor, ScanArgs.Builder.matches("*" + part + "*").limit(1000));
                for (String key : page.getKeys()) {
                    byte[] dump = sync.dump(key);
                    out.put(key, dump == null ? "(gone)" : Base64.getEncoder().encodeToString(dump));
                }
                cursor = page;
            } while (!cursor.isFinished());
        }
        return out;
    }
}
