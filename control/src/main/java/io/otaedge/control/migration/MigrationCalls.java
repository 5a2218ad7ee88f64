package io.otaedge.control.migration;

import io.lettuce.core.ScriptOutputType;
import io.otaedge.common.redis.RedisScript;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What the migration's steps share: the old layout's product tag, the merge that never overwrites newer data, and
 * blocking on a script's future (the migration runs once, at start, before any port opens).
 */
final class MigrationCalls {

    /** KEYS: a hash. ARGV: field/value pairs, set where the field is absent (newer data wins). */
    static final RedisScript MERGE = new RedisScript("""
            for i = 1, #ARGV, 2 do redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) end
            return 1
            """, ScriptOutputType.INTEGER);

    private MigrationCalls() {
    }

    /** The old layout's tag: everything of a product under one hash slot. */
    static String oldTag(String productId) {
        return "ota:{p:" + productId + "}";
    }

    static String[] pairs(Map<String, String> m) {
        String[] out = new String[m.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> e : m.entrySet()) {
            out[i++] = e.getKey();
            out[i++] = e.getValue();
        }
        return out;
    }

    static String str(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }
}
