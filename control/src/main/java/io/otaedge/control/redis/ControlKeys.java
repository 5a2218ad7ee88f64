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
}
