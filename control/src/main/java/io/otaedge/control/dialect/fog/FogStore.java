package io.otaedge.control.dialect.fog;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.RedisScript;
import java.util.Comparator;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * FOG's own records, inside the product's hash tag: the files (hash id → JSON), their id sequence and
 * the task → file index; plus the product token index {@code ota:fog:tok:<token>} → product id.
 */
public final class FogStore {

    /** KEYS: files hash, by-task hash. ARGV: id, json, task id. */
    private static final RedisScript SAVE = new RedisScript("""
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('HSET', KEYS[2], ARGV[3], ARGV[1])
            return 'OK'
            """, ScriptOutputType.STATUS);

    private final RedisClusterAsyncCommands<String, String> redis;

    public FogStore(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    private static String files(String productId) {
        return RedisKeys.productTag(productId) + ":fog:files";
    }

    private static String byTask(String productId) {
        return RedisKeys.productTag(productId) + ":fog:bytask";
    }

    /** The product's FOG keys: its files, their task index and sequence (in its tag), and its token's index entry. */
    static java.util.List<String> productKeys(String productId, String token) {
        return java.util.List.of(files(productId), byTask(productId), RedisKeys.productTag(productId) + ":fog:seq", tokenKey(token));
    }

    private static String tokenKey(String token) {
        return "ota:fog:tok:" + token;
    }

    public Mono<Long> nextId(String productId) {
        return Mono.fromCompletionStage(() -> redis.incr(RedisKeys.productTag(productId) + ":fog:seq"));
    }

    public Mono<FogFile> save(FogFile file) {
        return SAVE.<String>run(redis, new String[] {files(file.product()), byTask(file.product())},
                Long.toString(file.id()), Json.string(file), file.taskId()).thenReturn(file);
    }

    public Mono<FogFile> find(String productId, long id) {
        return Mono.fromCompletionStage(() -> redis.hget(files(productId), Long.toString(id))).map(FogStore::decode);
    }

    /** The file a task was created for; empty for tasks made through the native admin API. */
    public Mono<FogFile> byTask(String productId, String taskId) {
        return Mono.fromCompletionStage(() -> redis.hget(byTask(productId), taskId))
                .flatMap(id -> find(productId, Long.parseLong(id)));
    }

    /** The product's files that are not deleted, oldest first. */
    public Mono<List<FogFile>> list(String productId) {
        return Mono.fromCompletionStage(() -> redis.hvals(files(productId)))
                .map(values -> values.stream().map(FogStore::decode).filter(f -> !f.isDelete())
                        .sorted(Comparator.comparingLong(FogFile::id)).toList());
    }

    public Mono<Void> indexToken(String token, String productId) {
        return Mono.fromCompletionStage(() -> redis.set(tokenKey(token), productId)).then();
    }

    public Mono<String> productOfToken(String token) {
        return Mono.fromCompletionStage(() -> redis.get(tokenKey(token)));
    }

    private static FogFile decode(String json) {
        try {
            return Json.mapper().readValue(json, FogFile.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt FOG file in Redis", e);
        }
    }
}
