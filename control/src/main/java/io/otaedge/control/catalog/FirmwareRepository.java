package io.otaedge.control.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.CompareAndSet;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.RedisScript;
import io.otaedge.control.cache.ReadCache;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.redis.ControlKeys;
import io.otaedge.control.version.FirmwareVersion;
import java.time.Instant;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A product's firmware catalog: the firmware record, the product's listing and the
 * module/version index are written together by one script, inside the product's hash tag.
 */
public final class FirmwareRepository {

    private static final RedisScript ADD = new RedisScript("""
            local product = redis.call('GET', KEYS[1])
            if not product then return 'NO_PRODUCT' end
            if cjson.decode(product).status == 'archived' then return 'ARCHIVED' end
            local existing = redis.call('HGET', KEYS[4], ARGV[3])
            if existing then return 'EXISTS:' .. existing end
            redis.call('SET', KEYS[2], ARGV[1])
            redis.call('ZADD', KEYS[3], ARGV[2], ARGV[4])
            redis.call('HSET', KEYS[4], ARGV[3], ARGV[4])
            redis.call('HSET', KEYS[5], ARGV[4], ARGV[5])
            return 'OK'
            """, ScriptOutputType.STATUS);

    /** KEYS: firmware record, status hash. ARGV: firmware id, new status. */
    private static final RedisScript SET_STATUS = new RedisScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return 'NO_FIRMWARE' end
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
            return 'OK'
            """, ScriptOutputType.STATUS);


    /**
     * Removes a firmware's record and its entries in the product's indexes, only while the product's task list is
     * the one the caller checked (no task added since that could use it). KEYS: firmware record, firmware list,
     * version index, status hash, task list. ARGV: firmware id, its version index field, the task ids checked
     * (oldest first, comma-joined).
     */
    private static final RedisScript DELETE = new RedisScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return 'NONE' end
            if table.concat(redis.call('ZRANGE', KEYS[5], 0, -1), ',') ~= ARGV[3] then return 'CHANGED' end
            redis.call('DEL', KEYS[1])
            redis.call('ZREM', KEYS[2], ARGV[1])
            if redis.call('HGET', KEYS[3], ARGV[2]) == ARGV[1] then redis.call('HDEL', KEYS[3], ARGV[2]) end
            redis.call('HDEL', KEYS[4], ARGV[1])
            return 'OK'
            """, ScriptOutputType.STATUS);

    /** How a delete ended. */
    public enum Deleted {
        OK, NONE, CHANGED
    }

    private final RedisClusterAsyncCommands<String, String> redis;
    /** Package statuses by (product, package id). */
    private final ReadCache<Lookup, FirmwareStatus> statuses;
    /** Packages by (product, index field): what a device on some version is offered. Device-chosen, hence bounded. */
    private final ReadCache<Lookup, Firmware> packages;

    /** A product and a field within it (a package id or an index field). */
    private record Lookup(String productId, String field) {
    }

    public FirmwareRepository(RedisClusterAsyncCommands<String, String> redis) {
        this(redis, ReadCache.Policy.OFF);
    }

    /** @param cache how long the check path may use a local copy of a package's status or of a package look-up */
    public FirmwareRepository(RedisClusterAsyncCommands<String, String> redis, ReadCache.Policy cache) {
        this.redis = redis;
        this.statuses = cache.newCache(100_000);
        this.packages = cache.newCache(100_000);
    }

    /** Drops the product's cached statuses and look-ups once a write to its catalog has completed. */
    private void invalidate(String productId) {
        statuses.invalidateIf(k -> k.productId().equals(productId));
        packages.invalidateIf(k -> k.productId().equals(productId));
    }

    /** Stores a new firmware record; fails with 404 (no product) or 409 (version already uploaded). */
    public Mono<Firmware> add(Firmware fw) {
        String pid = fw.productId();
        String[] keys = {RedisKeys.product(pid), RedisKeys.firmware(pid, fw.id()), RedisKeys.firmwares(pid),
                ControlKeys.firmwareVersions(pid), ControlKeys.firmwareStatus(pid)};
        long score = Instant.parse(fw.createdAt()).toEpochMilli();
        FirmwareStatus status = fw.status() == null ? FirmwareStatus.ONLINE : fw.status();
        return ADD.<String>run(redis, keys, Json.string(fw.withStatus(null)), Long.toString(score),
                        indexField(fw.module(), fw.version(), fw.sourceVersion()), fw.id(), status.name())
                .doOnSuccess(result -> invalidate(pid))
                .map(result -> {
                    if ("OK".equals(result)) {
                        return fw.withStatus(status);
                    }
                    if ("NO_PRODUCT".equals(result)) {
                        throw ApiException.notFound("product_not_found", "no product '" + pid + "'");
                    }
                    if ("ARCHIVED".equals(result)) {
                        throw ProductRepository.archived(pid);
                    }
                    throw versionTaken(fw.module(), fw.version(), fw.sourceVersion());
                });
    }

    /** Deletes {@code fw}'s record if the product's tasks are still {@code checkedTaskIds} (see {@link #DELETE}). */
    public Mono<Deleted> delete(Firmware fw, java.util.List<String> checkedTaskIds) {
        String pid = fw.productId();
        String[] keys = {RedisKeys.firmware(pid, fw.id()), RedisKeys.firmwares(pid), ControlKeys.firmwareVersions(pid),
                ControlKeys.firmwareStatus(pid), RedisKeys.tasks(pid)};
        return DELETE.<String>run(redis, keys, fw.id(), indexField(fw.module(), fw.version(), fw.sourceVersion()),
                        String.join(",", checkedTaskIds))
                .doOnSuccess(result -> invalidate(pid))
                .map(Deleted::valueOf);
    }

    /** The id of the full package already uploaded for this module and version, if any. */
    public Mono<String> idOf(String productId, String module, String version) {
        return idOf(productId, module, version, null);
    }

    /** The id of the package for this module and version (differential from {@code sourceVersion} when not null). */
    public Mono<String> idOf(String productId, String module, String version, String sourceVersion) {
        return Mono.fromCompletionStage(() -> redis.hget(ControlKeys.firmwareVersions(productId),
                indexField(module, version, sourceVersion)));
    }

    /** The package (with its current status) for this module, version and source version; empty when none. */
    public Mono<Firmware> findPackage(String productId, String module, String version, String sourceVersion) {
        return idOf(productId, module, version, sourceVersion).flatMap(id -> find(productId, id));
    }

    /** As {@link #findPackage}, from a copy at most the catalog cache's TTL old (the engine's view on every check). */
    public Mono<Firmware> findPackageCached(String productId, String module, String version, String sourceVersion) {
        return packages.get(new Lookup(productId, indexField(module, version, sourceVersion)),
                k -> findPackage(productId, module, version, sourceVersion));
    }

    /** The current status of a package; empty when it does not exist. */
    public Mono<FirmwareStatus> status(String productId, String firmwareId) {
        return Mono.fromCompletionStage(() -> redis.hget(ControlKeys.firmwareStatus(productId), firmwareId))
                .map(FirmwareRepository::statusOf);
    }

    /** As {@link #status}, from a copy at most the catalog cache's TTL old (the engine's view on every check). */
    public Mono<FirmwareStatus> statusCached(String productId, String firmwareId) {
        return statuses.get(new Lookup(productId, firmwareId), k -> status(productId, firmwareId));
    }

    /** Changes a package's status; 404 when there is no such package. */
    public Mono<Firmware> setStatus(String productId, String firmwareId, FirmwareStatus status) {
        if (!Names.isProductId(productId) || firmwareId == null || firmwareId.isEmpty() || firmwareId.length() > 64) {
            return Mono.error(notFound(productId, firmwareId));
        }
        String[] keys = {RedisKeys.firmware(productId, firmwareId), ControlKeys.firmwareStatus(productId)};
        return SET_STATUS.<String>run(redis, keys, firmwareId, status.name())
                .doOnSuccess(r -> invalidate(productId))
                .flatMap(r -> "OK".equals(r) ? find(productId, firmwareId) : Mono.error(notFound(productId, firmwareId)));
    }

    /**
     * Adds the SHA-1 to a package stored without one (uploaded before it was kept); a record that has one, or
     * changed meanwhile, is left as it is. The package as stored afterwards; empty when there is no such package.
     */
    public Mono<Firmware> setSha1(String productId, String firmwareId, String sha1) {
        String key = RedisKeys.firmware(productId, firmwareId);
        return Mono.fromCompletionStage(() -> redis.get(key))
                .flatMap(json -> {
                    Firmware stored = decode(json);
                    if (stored.sha1() != null) {
                        return Mono.just(stored);
                    }
                    return CompareAndSet.replace(redis, key, json, Json.string(stored.withSha1(sha1)))
                            .doOnSuccess(r -> invalidate(productId))
                            .then(find(productId, firmwareId));
                });
    }

    public static ApiException notFound(String productId, String firmwareId) {
        return ApiException.notFound("firmware_not_found", "no firmware '" + firmwareId + "' in product '" + productId + "'");
    }

    public Mono<Firmware> find(String productId, String firmwareId) {
        if (!Names.isProductId(productId) || firmwareId == null || firmwareId.isEmpty() || firmwareId.length() > 64) {
            return Mono.empty();
        }
        return Mono.fromCompletionStage(() -> redis.get(RedisKeys.firmware(productId, firmwareId)))
                .map(FirmwareRepository::decode)
                .flatMap(fw -> status(productId, firmwareId).map(fw::withStatus).defaultIfEmpty(fw.withStatus(FirmwareStatus.ONLINE)));
    }

    /** The product's firmwares, oldest first, each with its current status. */
    public Flux<Firmware> list(String productId) {
        return Mono.fromCompletionStage(() -> redis.zrange(RedisKeys.firmwares(productId), 0, -1))
                .flatMapMany(ids -> ids.isEmpty() ? Flux.empty()
                        : Mono.zip(Mono.fromCompletionStage(() -> redis.mget(ids.stream()
                                                .map(id -> RedisKeys.firmware(productId, id)).toArray(String[]::new))),
                                        Mono.fromCompletionStage(() -> redis.hgetall(ControlKeys.firmwareStatus(productId))))
                                .flatMapIterable(t -> t.getT1().stream()
                                        .filter(kv -> kv.hasValue())
                                        .map(kv -> {
                                            Firmware fw = decode(kv.getValue());
                                            FirmwareStatus st = statusOf(t.getT2().get(fw.id()));
                                            return fw.withStatus(st == null ? FirmwareStatus.ONLINE : st);
                                        })
                                        .toList()));
    }

    public static ApiException versionTaken(String module, String version) {
        return versionTaken(module, version, null);
    }

    public static ApiException versionTaken(String module, String version, String sourceVersion) {
        return ApiException.conflict("firmware_exists", sourceVersion == null
                ? "version '" + version + "' of module '" + module + "' is already uploaded"
                : "a differential package from '" + sourceVersion + "' to '" + version + "' of module '" + module
                        + "' is already uploaded");
    }

    /** {@code module/version} for a full package, {@code module/version/from/source} for a differential one. */
    private static String indexField(String module, String version, String sourceVersion) {
        // One key per version however spelled: a device's 1003.002.000 finds the package uploaded as 1003.2.0.
        String v = FirmwareVersion.canonical(version);
        return sourceVersion == null ? module + "/" + v : module + "/" + v + "/from/" + FirmwareVersion.canonical(sourceVersion);
    }

    private static FirmwareStatus statusOf(String s) {
        return FirmwareStatus.parse(s);
    }

    private static Firmware decode(String json) {
        try {
            return Json.mapper().readValue(json, Firmware.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt firmware record in Redis", e);
        }
    }
}
