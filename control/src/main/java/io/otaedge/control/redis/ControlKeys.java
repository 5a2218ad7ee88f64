package io.otaedge.control.redis;

import io.otaedge.common.redis.RedisKeys;

/**
 * Keys only the control service uses, built on {@link RedisKeys#productTag(String)} (what the product owns
 * as a whole) or on {@link RedisKeys#bucketTag(String, int)} (what belongs to the devices of one bucket), so
 * they share a hash tag (and so a slot) with the keys they are written together with.
 */
public final class ControlKeys {

    private ControlKeys() {
    }

    /** Hash {@code <module>/<version>} → firmware id: a version is uploaded once per module. */
    public static String firmwareVersions(String productId) {
        return RedisKeys.productTag(productId) + ":fwver";
    }

    /** Hash firmware id → status: the one mutable part of a package, apart from its immutable record. */
    public static String firmwareStatus(String productId) {
        return RedisKeys.productTag(productId) + ":fwstatus";
    }

    /**
     * How many devices a task's rollout rate let in during one minute (epoch minute {@code minute}; string,
     * INCR, expires after two minutes). On the product's tag with {@link #taskRateTotals}: one script updates both.
     */
    public static String taskRateWindow(String productId, String taskId, long minute) {
        return RedisKeys.task(productId, taskId) + ":rate:" + minute;
    }

    /** A task's rollout-rate totals: {@code enrolled} (let in by the rate) and {@code held} (checks held back); hash. */
    public static String taskRateTotals(String productId, String taskId) {
        return RedisKeys.task(productId, taskId) + ":rate";
    }

    /** Checks a task's maintenance windows held back: {@code held} (hash, HINCRBY). */
    public static String taskWindowHolds(String productId, String taskId) {
        return RedisKeys.task(productId, taskId) + ":window";
    }

    /** A task's mutable control word {@code <status>:<stage>} (string, so a check MGETs it with the task). */
    public static String taskControl(String productId, String taskId) {
        return RedisKeys.task(productId, taskId) + ":ctl";
    }

    /**
     * One bucket's share of a task's aggregate counters: {@code state:<S>}, {@code stage:<n>:<outcome>}
     * (hash, HINCRBY only). A task's figures are the sums over its {@link RedisKeys#DEVICE_BUCKETS} buckets;
     * a single bucket's values mean nothing alone (the migration put the old totals into bucket 0).
     */
    public static String taskStats(String productId, String taskId, int bucket) {
        return RedisKeys.bucketTag(productId, bucket) + ":task:" + taskId + ":stats";
    }

    /**
     * A task's stage marks (hash): when and in which stage the failure threshold paused it ({@code autoPausedAt},
     * {@code autoPausedStage}); since when a stage met its success criteria ({@code successSince:<stage>}); when and
     * in which stage those criteria paused it for an operator ({@code successPausedAt}, {@code successPausedStage}).
     */
    public static String taskAutoPause(String productId, String taskId) {
        return RedisKeys.task(productId, taskId) + ":autopause";
    }

    /**
     * Why a task was aborted ({@code abortedAt}, {@code criterion}, {@code failureType}, {@code thresholdPercentage},
     * {@code minNumberOfExecutedThings}, {@code finished}, {@code count}; hash), written with the control word's swap.
     */
    public static String taskAbort(String productId, String taskId) {
        return RedisKeys.task(productId, taskId) + ":abort";
    }

    /**
     * The task's automatic rollback ({@code lockedAt}: HSETNX, the one control that creates it; then {@code taskId},
     * {@code devices}, {@code finished}, {@code failed}; hash).
     */
    public static String taskRollback(String productId, String taskId) {
        return RedisKeys.task(productId, taskId) + ":rollback";
    }

    /** Hash task id → {@code <type>|<module>|<target>}: every task the device was offered (its history), in the device's bucket. */
    public static String deviceTasks(String productId, String deviceId) {
        return RedisKeys.device(productId, deviceId) + ":tasks";
    }

    /**
     * Sorted set of one bucket's device ids, all scored 0 (so ordered by id): the index the device listing pages
     * through. Written with the device's hash ({@code DeviceRepository}); an entry outlives nothing it names.
     */
    public static String deviceIndex(String productId, int bucket) {
        return RedisKeys.bucketTag(productId, bucket) + ":devices";
    }
}
