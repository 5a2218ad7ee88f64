package io.otaedge.common.redis;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The Redis key schema, in one place (docs/REDIS.md has the whole table and which script touches which
 * keys). Keys are laid out for Redis Cluster: every key a script or multi-key command touches is declared
 * in its KEYS and shares one hash tag ({@code {…}}) with the others, so a script never crosses slots
 * ({@link RedisScript} refuses a call that would).
 *
 * <ul>
 *   <li>{@code ota:tok:{<token>}} — a download token's grant (JSON, with the token's TTL); its own tag, so
 *       tokens spread over every slot.</li>
 *   <li>{@code ota:{p:<productId>}:…} — what a product owns as a whole: the product, its firmware
 *       catalog, its tasks and their control words. Read on every check (mostly from a local cache), written
 *       by the operator.</li>
 *   <li>{@code ota:{p:<productId>:<bucket>}:…} — everything of the devices in one of the product's
 *       {@link #DEVICE_BUCKETS} device buckets ({@link #bucket(String)}): each device's hash, its task
 *       history, its row and token pointer in each task, and that bucket's share of every per-task aggregate
 *       (device index, counters, served bytes). Every per-request script stays within one bucket, and a
 *       product's buckets spread over the cluster's slots; readers of a task's figures sum its buckets.</li>
 *   <li>{@code ota:products} — the set of product ids (admin listing). Global: written and read by its own
 *       commands, never inside a product's script.</li>
 *   <li>{@code ota:task:<taskId>} — which product a task belongs to (tasks are addressed by id alone). Global,
 *       as above.</li>
 *   <li>{@code ota:edges} and {@code ota:edge:{<edgeId>}} — the live download edges and their heartbeats,
 *       each written by its own command.</li>
 * </ul>
 */
public final class RedisKeys {

    /**
     * How many buckets a product's devices are spread over. 64 slots land on every master of a cluster of
     * up to a few dozen shards with a fair share each (a cluster of 3 masters gets about 21 buckets each),
     * while a reader of a task's figures pays 64 pipelined reads, not thousands. Changing it moves most
     * devices to another bucket: it needs a re-key of every device-level key ({@code DeviceBucketMigration}
     * shows how), so it is a constant, not a setting.
     */
    public static final int DEVICE_BUCKETS = 64;

    private RedisKeys() {
    }

    /**
     * The device's bucket: CRC-32 of its id's UTF-8 bytes, mod {@link #DEVICE_BUCKETS}. Stable across
     * processes, versions and languages (the edges and every control must agree), and independent of the product.
     */
    public static int bucket(String deviceId) {
        CRC32 crc = new CRC32();
        crc.update(deviceId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % DEVICE_BUCKETS);
    }

    /** The hash tag of one of a product's device buckets. */
    public static String bucketTag(String productId, int bucket) {
        return "ota:{p:" + productId + ":" + bucket + "}";
    }

    /** The hash tag of the device's bucket: every device-level key of the device shares it. */
    public static String deviceTag(String productId, String deviceId) {
        return bucketTag(productId, bucket(deviceId));
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

    /** The device's hash (versions, last check), in the device's bucket. */
    public static String device(String productId, String deviceId) {
        return deviceTag(productId, deviceId) + ":dev:" + deviceId;
    }

    /** Sorted set of the devices of one bucket that hold a state in a task, scored by the time they joined. */
    public static String taskDevices(String productId, String taskId, int bucket) {
        return bucketTag(productId, bucket) + ":task:" + taskId + ":devs";
    }

    /** The device's state in one task (hash), in the device's bucket. */
    public static String deviceTask(String productId, String taskId, String deviceId) {
        return deviceTag(productId, deviceId) + ":task:" + taskId + ":dev:" + deviceId;
    }

    /** The token currently issued to a device for a task and a copy of its grant (string {@code "<token> <grant JSON>"}, same TTL as the token). */
    public static String deviceToken(String productId, String taskId, String deviceId) {
        return deviceTag(productId, deviceId) + ":task:" + taskId + ":tok:" + deviceId;
    }

    /** Hash device id → bytes the edges served it for a task, for the devices of one bucket (flushed by the edges in batches). */
    public static String taskServedBytes(String productId, String taskId, int bucket) {
        return bucketTag(productId, bucket) + ":task:" + taskId + ":served";
    }

    /** Hash device id → the highest byte offset (exclusive end) the edges served it for a task, for one bucket's devices. */
    public static String taskServedEnd(String productId, String taskId, int bucket) {
        return bucketTag(productId, bucket) + ":task:" + taskId + ":servedEnd";
    }

    /** Sorted set of edge ids, scored by the time of their last heartbeat (epoch ms). */
    /**
     * The devices of a task that an edge turned away at least once because their NB-IoT cell was full: a
     * HyperLogLog written by the edges (one {@code PFADD} per refusal), counted by control's task view. Its own tag,
     * the task's id: one key, so any slot does, and tasks spread over the cluster.
     */
    public static String taskCellHeld(String taskId) {
        return "ota:{task:" + taskId + "}:cellheld";
    }

    public static String edges() {
        return "ota:edges";
    }

    /** One edge's heartbeat (JSON, with a TTL a few heartbeats long, so a dead edge disappears). */
    public static String edge(String edgeId) {
        return "ota:edge:{" + edgeId + "}";
    }
}
