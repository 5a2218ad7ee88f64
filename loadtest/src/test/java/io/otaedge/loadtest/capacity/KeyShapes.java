package io.otaedge.loadtest.capacity;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A key's kind: the key with its ids replaced by placeholders ({@code ota:{p:<p>}:task:<task>:dev:<dev>}),
 * so keys of one kind group together whichever device, token or task they belong to. The ids the
 * probe created are replaced by name (products, tasks, firmwares); tokens, MAC addresses, UUIDs and
 * the probe's own device ids by their shape.
 */
final class KeyShapes {

    private static final Pattern TOKEN = Pattern.compile("ota_[0-9A-Za-z]{20,24}");
    private static final Pattern MAC = Pattern.compile("(?i)\\b[0-9a-f]{2}(:[0-9a-f]{2}){5}\\b");
    /** A SHA-1 in hex: FOG keeps its token's record under the token's hash. */
    private static final Pattern SHA1 = Pattern.compile("(?i)\\b[0-9a-f]{40}\\b");
    private static final Pattern UUID = Pattern.compile("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern DEVICE_NAME = Pattern.compile(Fleet.DEVICE_NAME_PREFIX + "\\d+");
    /** A device bucket's tag ({@code {p:<p>:12}}, docs/REDIS.md "Device buckets"): all 64 buckets are one kind. */
    private static final Pattern BUCKET = Pattern.compile("\\{p:(<[^>]+>):\\d{1,2}}");
    /** A run of digits as a whole segment ({@code :123:}, {@code :123} at the end): numeric device ids, IMEIs. */
    private static final Pattern NUMBER = Pattern.compile("(?<=[:{])\\d{3,}(?=[:}]|$)");

    /** Longest first, so an id that contains another ({@code p}, {@code p-idle}) is replaced whole. */
    private final Map<String, String> names = new TreeMap<>(
            Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));

    /** Replaces {@code id} wherever it appears with {@code <placeholder>}. */
    synchronized void name(String id, String placeholder) {
        names.put(id, "<" + placeholder + ">");
    }

    synchronized String shape(String key) {
        String k = key;
        for (Map.Entry<String, String> e : names.entrySet()) {
            k = k.replace(e.getKey(), e.getValue());
        }
        k = BUCKET.matcher(k).replaceAll("{p:$1:<b>}");
        k = TOKEN.matcher(k).replaceAll("<token>");
        k = MAC.matcher(k).replaceAll("<mac>");
        k = UUID.matcher(k).replaceAll("<uuid>");
        k = SHA1.matcher(k).replaceAll("<sha1>");
        k = DEVICE_NAME.matcher(k).replaceAll("<dev>");
        return NUMBER.matcher(k).replaceAll("<n>");
    }
}
