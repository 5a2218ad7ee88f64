package io.otaedge.control.redis;

import io.otaedge.common.redis.RedisKeys;

/**
 * Keys only the control service uses, built on {@link RedisKeys#productTag(String)} so they share
 * the product's hash tag (and so its slot) with the keys they are written together with.
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

    /** A task's mutable control word {@code <status>:<stage>} (string, so a check MGETs it with the task). */
    public static String taskControl(String productId, String taskId) {
        return RedisKeys.task(productId, taskId) + ":ctl";
    }

    /** A task's aggregate counters: {@code state:<S>}, {@code stage:<n>:<outcome>} (hash, HINCRBY only). */
    public static String taskStats(String productId, String taskId) {
        return RedisKeys.task(productId, taskId) + ":stats";
    }

    /** Hash task id → {@code <type>|<module>|<target>}: every task the device was offered (its history). */
    public static String deviceTasks(String productId, String deviceId) {
        return RedisKeys.device(productId, deviceId) + ":tasks";
    }
}
