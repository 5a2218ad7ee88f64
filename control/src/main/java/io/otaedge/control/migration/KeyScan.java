package io.otaedge.control.migration;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.function.Consumer;

/**
 * One SCAN over the keys matching a pattern, for old-layout keys that have no index. Allowed here, once, at start;
 * never on a request path.
 */
final class KeyScan {

    private KeyScan() {
    }

    static void forEach(RedisClusterCommands<String, String> sync, String pattern, Consumer<String> each) {
        ScanArgs match = ScanArgs.Builder.matches(pattern).limit(1000);
        KeyScanCursor<String> cursor = sync.scan(match);
        while (true) {
            cursor.getKeys().forEach(each);
            if (cursor.isFinished()) {
                return;
            }
            // The cursor object itself: on a cluster it also names the node the scan is on.
            cursor = sync.scan(cursor, match);
        }
    }
}
