package io.otaedge.control.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import reactor.core.publisher.Mono;

/**
 * A Lua script run by its SHA1 (EVALSHA), falling back to EVAL once when the server does not know
 * it yet (first use, or after a restart). Scripts are how control writes several keys atomically:
 * MULTI/EXEC would interleave with other callers on the shared multiplexed connection.
 */
public final class LuaScript {

    private final String source;
    private final String sha1;
    private final ScriptOutputType output;

    public LuaScript(String source, ScriptOutputType output) {
        this.source = source;
        this.output = output;
        try {
            this.sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-1", e);
        }
    }

    public <T> Mono<T> run(RedisAsyncCommands<String, String> redis, String[] keys, String... args) {
        return Mono.<T>fromCompletionStage(() -> redis.evalsha(sha1, output, keys, args))
                .onErrorResume(RedisNoScriptException.class,
                        e -> Mono.fromCompletionStage(() -> redis.<T>eval(source, output, keys, args)));
    }
}
