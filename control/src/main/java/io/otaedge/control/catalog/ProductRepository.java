package io.otaedge.control.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.cache.ReadCache;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Products in Redis: one JSON value per product, created once with SET NX. */
public final class ProductRepository {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Products are few; unknown ids a device makes up are kept too ("not found"), hence a bound. */
    private static final int MAX_CACHED = 10_000;

    private final RedisClusterAsyncCommands<String, String> redis;
    private final ReadCache<String, Product> cache;

    public ProductRepository(RedisClusterAsyncCommands<String, String> redis) {
        this(redis, ReadCache.Policy.OFF);
    }

    /** @param cache how long the check path may use a local copy of a product (they never change once created) */
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
