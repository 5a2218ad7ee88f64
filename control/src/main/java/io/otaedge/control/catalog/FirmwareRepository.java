package io.otaedge.control.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.redis.ControlKeys;
import io.otaedge.control.redis.LuaScript;
import java.time.Instant;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A product's firmware catalog: the firmware record, the product's listing and the
 * module/version index are written together by one script, inside the product's hash tag.
 */
public final class FirmwareRepository {

    private static final LuaScript ADD = new LuaScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return 'NO_PRODUCT' end
            local existing = redis.call('HGET', KEYS[4], ARGV[3])
            if existing then return 'EXISTS:' .. existing end
            redis.call('SET', KEYS[2], ARGV[1])
            redis.call('ZADD', KEYS[3], ARGV[2], ARGV[4])
            redis.call('HSET', KEYS[4], ARGV[3], ARGV[4])
            return 'OK'
            """, ScriptOutputType.STATUS);

    private final RedisAsyncCommands<String, String> redis;

    public FirmwareRepository(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** Stores a new firmware record; fails with 404 (no product) or 409 (version already uploaded). */
    public Mono<Firmware> add(Firmware fw) {
        String pid = fw.productId();
        String[] keys = {RedisKeys.product(pid), RedisKeys.firmware(pid, fw.id()), RedisKeys.firmwares(pid),
                ControlKeys.firmwareVersions(pid)};
        long score = Instant.parse(fw.createdAt()).toEpochMilli();
        return ADD.<String>run(redis, keys, Json.string(fw), Long.toString(score), indexField(fw.module(), fw.version()), fw.id())
                .map(result -> {
                    if ("OK".equals(result)) {
                        return fw;
                    }
                    if ("NO_PRODUCT".equals(result)) {
                        throw ApiException.notFound("product_not_found", "no product '" + pid + "'");
                    }
                    throw versionTaken(fw.module(), fw.version());
                });
    }

    /** The id of the firmware already uploaded for this module and version, if any. */
    public Mono<String> idOf(String productId, String module, String version) {
        return Mono.fromCompletionStage(() -> redis.hget(ControlKeys.firmwareVersions(productId), indexField(module, version)));
    }

    public Mono<Firmware> find(String productId, String firmwareId) {
        if (!Names.isProductId(productId) || firmwareId == null || firmwareId.isEmpty() || firmwareId.length() > 64) {
            return Mono.empty();
        }
        return Mono.fromCompletionStage(() -> redis.get(RedisKeys.firmware(productId, firmwareId)))
                .map(FirmwareRepository::decode);
    }

    /** The product's firmwares, oldest first. */
    public Flux<Firmware> list(String productId) {
        return Mono.fromCompletionStage(() -> redis.zrange(RedisKeys.firmwares(productId), 0, -1))
                .flatMapMany(ids -> ids.isEmpty() ? Flux.empty()
                        : Mono.fromCompletionStage(() -> redis.mget(ids.stream()
                                        .map(id -> RedisKeys.firmware(productId, id)).toArray(String[]::new)))
                                .flatMapIterable(values -> values))
                .filter(kv -> kv.hasValue())
                .map(kv -> decode(kv.getValue()));
    }

    public static ApiException versionTaken(String module, String version) {
        return ApiException.conflict("firmware_exists",
                "version '" + version + "' of module '" + module + "' is already uploaded");
    }

    private static String indexField(String module, String version) {
        return module + "/" + version;
    }

    private static Firmware decode(String json) {
        try {
            return Json.mapper().readValue(json, Firmware.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt firmware record in Redis", e);
        }
    }
}
