package io.otaedge.control.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisKeys;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import reactor.core.publisher.Mono;

/** Products in Redis: one JSON value per product, created once with SET NX. */
public final class ProductRepository {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final RedisAsyncCommands<String, String> redis;

    public ProductRepository(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
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
                .map(added -> p);
    }

    public Mono<Product> find(String productId) {
        if (!Names.isProductId(productId)) {
            return Mono.empty();
        }
        return Mono.fromCompletionStage(() -> redis.get(RedisKeys.product(productId))).map(ProductRepository::decode);
    }

    /** Every product, ordered by id. */
    public Mono<java.util.List<Product>> all() {
        return Mono.fromCompletionStage(() -> redis.smembers(RedisKeys.products()))
                .flatMap(ids -> ids.isEmpty() ? Mono.just(java.util.List.<Product>of())
                        : Mono.fromCompletionStage(() -> redis.mget(ids.stream().sorted().map(RedisKeys::product).toArray(String[]::new)))
                                .map(values -> values.stream().filter(kv -> kv.hasValue()).map(kv -> decode(kv.getValue())).toList()));
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
