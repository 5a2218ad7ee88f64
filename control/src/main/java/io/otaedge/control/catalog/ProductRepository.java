package io.otaedge.control.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.CompareAndSet;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.RedisScript;
import io.lettuce.core.ScriptOutputType;
import io.otaedge.control.cache.ReadCache;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Products in Redis: one JSON value per product, created once with SET NX; its status changed by compare-and-set;
 * deleted only while it holds nothing ({@link #DELETE_IF_EMPTY}).
 */
public final class ProductRepository {

    /**
     * Deletes a product that has no firmware and no task, in the same step as it checks so (an upload or task create
     * runs wholly before, and is then counted, or after, and then finds no product). KEYS: product, firmware list,
     * task list, then the product's other keys in its tag (dialect settings, empty indexes), deleted with it.
     * Answers NONE, OK, or HOLDS:&lt;firmwares&gt;:&lt;tasks&gt;.
     */
    private static final RedisScript DELETE_IF_EMPTY = new RedisScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return 'NONE' end
            local fws = redis.call('ZCARD', KEYS[2])
            local tasks = redis.call('ZCARD', KEYS[3])
            if fws > 0 or tasks > 0 then return 'HOLDS:' .. fws .. ':' .. tasks end
            redis.call('DEL', unpack(KEYS))
            return 'OK'
            """, ScriptOutputType.STATUS);

    /** How a delete ended: gone, no such product, or refused with what it still holds. */
    public record Deleted(boolean found, long firmwares, long tasks) {
        public boolean deleted() {
            return found && firmwares == 0 && tasks == 0;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Products are few; unknown ids a device makes up are kept too ("not found"), hence a bound. */
    private static final int MAX_CACHED = 10_000;

    private final RedisClusterAsyncCommands<String, String> redis;
    private final ReadCache<String, Product> cache;

    public ProductRepository(RedisClusterAsyncCommands<String, String> redis) {
        this(redis, ReadCache.Policy.OFF);
    }

    /** @param cache how long the check path may use a local copy of a product (only its status ever changes) */
    public ProductRepository(RedisClusterAsyncCommands<String, String> redis, ReadCache.Policy cache) {
        this.redis = redis;
        this.cache = cache.newCache(MAX_CACHED);
    }

    /** Creates the product with a fresh access key; empty when the id is taken. */
    public Mono<Product> create(String productId, String name) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        Product p = new Product(productId, name, Base64.getEncoder().encodeToString(key), Instant.now().toString());
        return Mono.fromCompletionStage(() -> redis.set(RedisKeys.product(productId), Json.string(p), SetArgs.Builder.nx()))
                .filter("OK"::equals)
                // The id index lives outside the product's hash tag; it is only a listing aid and
                // SADD is idempotent, so a crash between the two writes loses nothing a retry can't add.
                .flatMap(ok -> Mono.fromCompletionStage(() -> redis.sadd(RedisKeys.products(), productId)))
                // A device that asked for the id before it existed may have left "not found" here.
                .doOnSuccess(added -> cache.invalidateIf(productId::equals))
                .map(added -> p);
    }

    public Mono<Product> find(String productId) {
        if (!Names.isProductId(productId)) {
            return Mono.empty();
        }
        return Mono.fromCompletionStage(() -> redis.get(RedisKeys.product(productId))).map(ProductRepository::decode);
    }

    /** As {@link #find}, from a copy at most the catalog cache's TTL old: for device calls, which authenticate with the product. */
    public Mono<Product> findCached(String productId) {
        if (!Names.isProductId(productId)) {
            return Mono.empty();
        }
        return cache.get(productId, this::find);
    }

    /**
     * Every product, ordered by id. One GET per product, pipelined on the connection: each product lives
     * in its own hash tag, so one MGET over them would cross slots on a Redis Cluster.
     */
    public Mono<java.util.List<Product>> all() {
        return Mono.fromCompletionStage(() -> redis.smembers(RedisKeys.products()))
                .flatMapMany(ids -> Flux.fromIterable(ids).sort())
                .flatMapSequential(id -> Mono.fromCompletionStage(() -> redis.get(RedisKeys.product(id))), 64)
                .map(ProductRepository::decode)
                .collectList();
    }

    /** Every product's id, ordered. */
    public Mono<java.util.List<String>> ids() {
        return Mono.fromCompletionStage(() -> redis.smembers(RedisKeys.products()))
                .map(ids -> ids.stream().sorted().toList());
    }

    /** The products of {@code ids}, in their order; an id whose record is gone is left out. */
    public Mono<java.util.List<Product>> all(java.util.List<String> ids) {
        return Flux.fromIterable(ids)
                .flatMapSequential(id -> Mono.fromCompletionStage(() -> redis.get(RedisKeys.product(id))), 64)
                .map(ProductRepository::decode)
                .collectList();
    }

    /**
     * Sets the product's status if its record is still the one just read (compared as stored: a record written before
     * products had a status compares as it is); empty when no such product, an empty {@code Optional} inside when the
     * record changed meanwhile (the caller tries again).
     */
    public Mono<java.util.Optional<Product>> replaceStatus(String productId, String status) {
        if (!Names.isProductId(productId)) {
            return Mono.empty();
        }
        return Mono.fromCompletionStage(() -> redis.get(RedisKeys.product(productId))).flatMap(stored -> {
            Product next = decode(stored).withStatus(status);
            return CompareAndSet.replace(redis, RedisKeys.product(productId), stored, Json.string(next))
                    .doOnSuccess(n -> cache.invalidateIf(productId::equals))
                    .map(written -> written ? java.util.Optional.of(next) : java.util.Optional.<Product>empty());
        });
    }

    /**
     * Deletes the product and {@code ownKeys} (keys in its tag that go with it) if it holds no firmware and no task;
     * then takes its id out of the listing (a separate key: a crash in between leaves an id the listing skips).
     */
    public Mono<Deleted> deleteIfEmpty(String productId, java.util.List<String> ownKeys) {
        java.util.List<String> keys = new java.util.ArrayList<>(java.util.List.of(RedisKeys.product(productId),
                RedisKeys.firmwares(productId), RedisKeys.tasks(productId)));
        ownKeys.stream().filter(k -> !keys.contains(k)).forEach(keys::add);
        return DELETE_IF_EMPTY.<String>run(redis, keys.toArray(String[]::new))
                .flatMap(result -> {
                    if ("NONE".equals(result)) {
                        return Mono.just(new Deleted(false, 0, 0));
                    }
                    if (result.startsWith("HOLDS:")) {
                        String[] n = result.split(":");
                        return Mono.just(new Deleted(true, Long.parseLong(n[1]), Long.parseLong(n[2])));
                    }
                    return Mono.fromCompletionStage(() -> redis.srem(RedisKeys.products(), productId))
                            .thenReturn(new Deleted(true, 0, 0));
                })
                .doOnSuccess(d -> cache.invalidateIf(productId::equals));
    }

    /** Deletes keys a deleted product left outside its tag (a dialect's token index), one command per key. */
    public Mono<Void> deleteOutsideTag(java.util.List<String> keys) {
        return Flux.fromIterable(keys).concatMap(k -> Mono.fromCompletionStage(() -> redis.del(k))).then();
    }

    /** The 409 of a write an archived product takes no more (an upload, a task). */
    public static io.otaedge.control.http.ApiException archived(String productId) {
        return io.otaedge.control.http.ApiException.conflict("product_archived", "product '" + productId
                + "' is archived: it takes no new firmware or task; unarchive it first (PATCH {\"status\":\"active\"})");
    }

    public Mono<Boolean> exists(String productId) {
        if (!Names.isProductId(productId)) {
            return Mono.just(false);
        }
        return Mono.fromCompletionStage(() -> redis.exists(RedisKeys.product(productId))).map(n -> n != null && n > 0);
    }

    private static Product decode(String json) {
        try {
            return Json.mapper().readValue(json, Product.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt product record in Redis", e);
        }
    }
}
