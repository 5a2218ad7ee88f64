package io.otaedge.control.migration;

/**
 * An old-layout device key: the tag is a product id alone (product ids hold no ':', a bucket tag does).
 * {@code …:dev:<did>:tasks} is a history (a device id ending in ":tasks" would be read as one: a
 * limit of the old layout, which could not tell them apart either).
 */
record OldDeviceKey(String productId, String deviceId, boolean history) {

    /** The key's parts, or null when it is not an old-layout device key. */
    static OldDeviceKey parse(String key) {
        int close = key.indexOf("}:dev:");
        if (!key.startsWith("ota:{p:") || close < 0) {
            return null;
        }
        String pid = key.substring("ota:{p:".length(), close);
        if (pid.isEmpty() || pid.contains(":")) {
            return null;
        }
        String rest = key.substring(close + "}:dev:".length());
        boolean history = rest.endsWith(":tasks") && rest.length() > ":tasks".length();
        String did = history ? rest.substring(0, rest.length() - ":tasks".length()) : rest;
        return did.isEmpty() ? null : new OldDeviceKey(pid, did, history);
    }
}
