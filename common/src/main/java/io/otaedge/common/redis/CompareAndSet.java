package io.otaedge.common.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import reactor.core.publisher.Mono;

/**
 * Replaces a string key's value only while it is still the value the caller read (optimistic concurrency for
 * read-modify-write of a JSON record): one script, so no other writer can come between the check and the set.
 */
public final class CompareAndSet {

    /** KEYS[1] the record; ARGV the value as read, the value to write. 1 when written, 0 when it had changed. */
    private static final RedisScript REPLACE_IF_UNCHANGED = new RedisScript("""
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
            redis.call('SET', KEYS[1], ARGV[2])
            return 1
            """, ScriptOutputType.INTEGER);

    private CompareAndSet() {
    }

    /** True when {@code key} still held {@code read} and now holds {@code next}; false when someone changed it. */
    public static Mono<Boolean> replace(RedisClusterAsyncCommands<String, String> redis, String key, String read, String next) {
        return REPLACE_IF_UNCHANGED.<Long>run(redis, new String[] {key}, read, next).map(n -> n == 1L);
    }
}
