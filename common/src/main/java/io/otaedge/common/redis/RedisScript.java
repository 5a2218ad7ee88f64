package io.otaedge.common.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import reactor.core.publisher.Mono;

/**
 * A Lua script run by its SHA1 (EVALSHA), falling back to EVAL once when the server does not know it
 * (first use, a restart, a node added or a replica just promoted: each starts with an empty script
 * cache). The one way the code base runs a script; scripts are how several keys change atomically,
 * since MULTI/EXEC would interleave with other callers on the shared multiplexed connection.
 *
 * <p>Cluster rules, checked on every call so that a single-node test run already catches a breach: a
 * script declares at least one key, and all of its keys hash to one slot (they share a hash tag). On a
 * cluster the script runs on that slot's master. The script itself must touch no key it was not given.
 */
public final class RedisScript {

    private final String source;
    private final String sha1;
    private final ScriptOutputType output;

    public RedisScript(String source, ScriptOutputType output) {
        this.source = source;
        this.output = output;
        try {
            this.sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-1", e);
        }
    }

    /** Runs the script; completes on a Lettuce thread. */
    public <T> CompletionStage<T> call(RedisClusterAsyncCommands<String, String> redis, String[] keys, String... args) {
        requireOneSlot(keys);
        return redis.<T>evalsha(sha1, output, keys, args)
                .exceptionallyCompose(e -> unwrap(e) instanceof RedisNoScriptException
                        ? redis.<T>eval(source, output, keys, args)
                        : CompletableFuture.failedStage(unwrap(e)));
    }

    /** As {@link #call}, as a Mono (evaluated on subscription). */
    public <T> Mono<T> run(RedisClusterAsyncCommands<String, String> redis, String[] keys, String... args) {
        return Mono.fromCompletionStage(() -> this.<T>call(redis, keys, args));
    }

    public String sha1() {
        return sha1;
    }

    /** Refuses keys a cluster would answer with CROSSSLOT (or, with none, run on an arbitrary node). */
    static void requireOneSlot(String[] keys) {
        if (keys.length == 0) {
            throw new IllegalArgumentException("a script must declare its keys");
        }
        int slot = SlotHash.getSlot(keys[0]);
        for (int i = 1; i < keys.length; i++) {
            if (SlotHash.getSlot(keys[i]) != slot) {
                throw new IllegalArgumentException("script keys in different hash slots: '" + keys[0] + "' and '"
                        + keys[i] + "' (give them one hash tag)");
            }
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
