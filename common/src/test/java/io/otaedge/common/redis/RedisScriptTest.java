package io.otaedge.common.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RedisScriptTest {

    private static final RedisScript INCR_BOTH = new RedisScript("""
            redis.call('INCR', KEYS[1])
            return redis.call('INCR', KEYS[2])
            """, ScriptOutputType.INTEGER);

    private final RedisClusterAsyncCommands<String, String> redis = TestRedis.connector().async();

    @Test
    void runsByShaAndStillRunsAfterScriptFlushThroughTheNoscriptFallback() throws Exception {
        String tag = "{t:" + UUID.randomUUID() + "}";
        String[] keys = {"a" + tag, "b" + tag};
        assertThat(INCR_BOTH.<Long>call(redis, keys).toCompletableFuture().get()).isEqualTo(1L);
        assertThat(redis.scriptExists(INCR_BOTH.sha1()).get()).containsExactly(true);

        // What a restarted node or a promoted replica looks like: an empty script cache.
        redis.scriptFlush().get();
        assertThat(redis.scriptExists(INCR_BOTH.sha1()).get()).containsExactly(false);

        assertThat(INCR_BOTH.<Long>call(redis, keys).toCompletableFuture().get()).isEqualTo(2L);
        assertThat(redis.scriptExists(INCR_BOTH.sha1()).get()).as("EVAL loaded it again").containsExactly(true);
        assertThat(redis.mget(keys).get()).extracting(kv -> kv.getValue()).isEqualTo(List.of("2", "2"));
    }

    @Test
    void aScriptErrorOtherThanNoscriptIsPassedOnAsItIs() {
        RedisScript broken = new RedisScript("return redis.call('INCR', KEYS[1], 'extra')", ScriptOutputType.INTEGER);
        assertThatThrownBy(() -> broken.call(redis, new String[] {"k{" + UUID.randomUUID() + "}"}).toCompletableFuture().get())
                .hasMessageContaining("Wrong number of args");
    }

    @Test
    void keysInDifferentSlotsAreRefusedBeforeReachingRedis() {
        // Would be CROSSSLOT on a cluster; a single node would run it, so the runner refuses it everywhere.
        assertThatThrownBy(() -> INCR_BOTH.call(redis, new String[] {"ota:{p:a}:x", "ota:{p:b}:x"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different hash slots");
        assertThatThrownBy(() -> INCR_BOTH.call(redis, new String[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("declare its keys");
    }
}
