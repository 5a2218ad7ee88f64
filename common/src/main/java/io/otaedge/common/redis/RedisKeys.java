package io.otaedge.common.redis;

/**
 * The Redis key schema, in one place (docs/REDIS.md has the whole table and which script touches which
 * keys). Keys are laid out for Redis Cluster: every key a script or multi-key command touches is declared
 * in its KEYS and shares one hash tag ({@code {…}}) with the others, so a script never crosses slots
 * ({@link RedisScript} refuses a call that would).
 *
 * <ul>
 *   <li>{@code ota:tok:{<token>}} — a download token's grant (JSON, with the token's TTL); its own tag, so
 *       tokens spread over every slot.</li>
 *   <li>{@code ota:{p:<productId>}:…} — everything owned by one product: the product, its firmware
 *       catalog, its tasks, its devices and the per-device tokens. One product is one slot.</li>
 *   <li>{@code ota:products} — the set of product ids (admin listing). Global: written and read by its own
 *       commands, never inside a product's script.</li>
 *   <li>{@code ota:task:<taskId>} — which product a task belongs to (tasks are addressed by id alone). Global,
 *       as above.</li>
 *   <li>{@code ota:edges} and {@code ota:edge:{<edgeId>}} — the live download edges and their heartbeats,
 *       each written by its own command.</li>
 * </ul>
 */
public final class RedisKeys {

    private RedisKeys() {
    }

    public static String token(String token) {
        return "ota:tok:{" + token + "}";
    }

    public static String productTag(String productId) {
        return "ota:{p:" + productId + "}";
    }

    public static String product(String productId) {
        return productTag(productId) + ":product";
    }

    public static String products() {
        return "ota:products";
    }

    public static String firmware(String productId, String firmwareId) {
        return productTag(productId) + ":fw:" + firmwareId;
    }

    /** Sorted set of a product's firmware ids, scored by upload time. */
    public static String firmwares(String productId) {
        return productTag(productId) + ":fws";
    }

    public static String task(String productId, String taskId) {
        return productTag(productId) + ":task:" + taskId;
    }

    /** Sorted set of a product's task ids, scored by creation time. */
    public static String tasks(String productId) {
        return productTag(productId) + ":tasks";
    }

    public static String taskOwner(String taskId) {
        return "ota:task:" + taskId;
    }

    public static String device(String productId, String deviceId) {
        return productTag(productId) + ":dev:" + deviceId;
    }

    /** Sorted set of the devices that hold a state in a task. */
    public static String taskDevices(String productId, String taskId) {
        return productTag(productId) + ":task:" + taskId + ":devs";
    }

    /** The device's state in one task (hash). */
    public static String deviceTask(String productId, String taskId, String deviceId) {
        return productTag(productId) + ":task:" + taskId + ":dev:" + deviceId;
    }

    /** The token currently issued to a device for a task and a copy of its grant (string {@code "<token> <grant JSON>"}, same TTL as the token). */
    public static String deviceToken(String productId, String taskId, String deviceId) {
        return productTag(productId) + ":task:" + taskId + ":tok:" + deviceId;
    }

    /** Hash device id → bytes the edges served it for a task (flushed by the edges in batches). */
    public static String taskServedBytes(String productId, String taskId) {
        return productTag(productId) + ":task:" + taskId + ":served";
    }

    /** Hash device id → the highest byte offset (exclusive end) the edges served it for a task. */
    public static String taskServedEnd(String productId, String taskId) {
        return productTag(productId) + ":task:" + taskId + ":servedEnd";
    }

    /** Sorted set of edge ids, scored by the time of their last heartbeat (epoch ms). */
    public static String edges() {
        return "ota:edges";
    }

    /** One edge's heartbeat (JSON, with a TTL a few heartbeats long, so a dead edge disappears). */
    public static String edge(String edgeId) {
        return "ota:edge:{" + edgeId + "}";
    }
}
