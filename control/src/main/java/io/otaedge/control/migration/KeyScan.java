package io.otaedge.control.migration;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.List;
import java.util.function.Consumer;

/**
 * One SCAN over the keys matching a pattern, for old-layout keys that have no index. Allowed here, once, at start;
 * never on a request path.
 */
final class KeyScan {

    private KeyScan() {
    }

    static void forEach(RedisClusterCommands<String, String> sync, String pattern, Consumer<String> each) {
        forEachPage(sync, pattern, keys -> keys.forEach(each));
    }

    /** As {@link #forEach}, a SCAN page (up to about 1,000 keys) at a time, for callers that pipeline per page. */
    static void forEachPage(RedisClusterCommands<String, String> sync, String pattern, Consumer<List<String>> page) {
        ScanArgs match = ScanArgs.Builder.matches(pattern).limit(1000);
        KeyScanCursor<String> cursor = sync.scan(match);
        while (true) {
            if (!cursor.getKeys().isEmpty()) {
                page.accept(cursor.getKeys());
            }
            if (cursor.isFinished()) {
                return;
            }
            // The cursor object itself: on a cluster it also names the node the scan is on.
            cursor = sync.scan(cursor, match);
        }
    }
}
