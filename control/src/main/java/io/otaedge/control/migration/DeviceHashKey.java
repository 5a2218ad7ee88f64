package io.otaedge.control.migration;

import io.otaedge.common.redis.RedisKeys;

/**
 * A key that may be a device hash of the bucketed layout, {@code ota:{p:<pid>:<b>}:dev:<did>}: the tag names a
 * product (no ':' in product ids) and a bucket, and the device id belongs to that bucket. A device's task history
 * {@code …:dev:<did>:tasks} looks the same; when the id without {@code :tasks} is of the same bucket, the key is
 * that device's history if its hash exists ({@link #historyOf}, judged in Redis).
 *
 * @param historyOf the device whose history the key may be instead, or null when it cannot be
 */
record DeviceHashKey(String key, String productId, int bucket, String deviceId, String historyOf) {

    private static final String PREFIX = "ota:{p:";
    private static final String INFIX = "}:dev:";
    private static final String HISTORY = ":tasks";

    /** The key's parts, or null when it is not a device hash of the bucketed layout. */
    static DeviceHashKey parse(String key) {
        int close = key.indexOf(INFIX);
        if (!key.startsWith(PREFIX) || close < 0) {
            return null;
        }
        String tag = key.substring(PREFIX.length(), close);
        int colon = tag.indexOf(':');
        if (colon <= 0 || colon != tag.lastIndexOf(':')) {
            return null;
        }
        int bucket;
        try {
            bucket = Integer.parseInt(tag.substring(colon + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        String did = key.substring(close + INFIX.length());
        String owner = did.endsWith(HISTORY) ? did.substring(0, did.length() - HISTORY.length()) : "";
        boolean ownerHere = !owner.isEmpty() && RedisKeys.bucket(owner) == bucket;
        if (did.isEmpty() || RedisKeys.bucket(did) != bucket) {
            return null; // a history of a device of this bucket, or a key no code writes
        }
        return new DeviceHashKey(key, tag.substring(0, colon), bucket, did, ownerHere ? owner : null);
    }
}
