package io.otaedge.loadtest.capacity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Every key in Redis grouped by kind ({@link KeyShapes}), with {@code MEMORY USAGE … SAMPLES 0}
 * (every element counted, not estimated) of a random sample of each kind, its type, encoding,
 * element count and whether it carries a TTL.
 */
final class KeySpace {

    /** One kind of key. {@code bytes} and {@code elements} are means over the sampled keys. */
    record Kind(String shape, long keys, int sampled, String type, String encoding, double bytes, double elements,
                double withTtl) {

        double totalBytes() {
            return bytes * keys;
        }

        double bytesPerElement() {
            return elements == 0 ? 0 : bytes / elements;
        }
    }

    private KeySpace() {
    }

    static List<Kind> measure(RedisTopology redis, KeyShapes shapes, int samplePerKind) {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, List<String>> samples = new TreeMap<>();
        Random random = new Random(14);
        redis.scan("*", key -> {
            String shape = shapes.shape(key);
            long[] n = counts.computeIfAbsent(shape, s -> new long[1]);
            n[0]++;
            List<String> sample = samples.computeIfAbsent(shape, s -> new ArrayList<>());
            // Reservoir sampling: every key of the kind equally likely to be measured.
            if (sample.size() < samplePerKind) {
                sample.add(key);
            } else {
                long j = (long) (random.nextDouble() * n[0]);
                if (j < samplePerKind) {
                    sample.set((int) j, key);
                }
            }
        });
        List<Kind> kinds = new ArrayList<>();
        counts.forEach((shape, n) -> {
            List<String> sample = samples.get(shape);
            double bytes = 0;
            double elements = 0;
            double ttl = 0;
            String type = "";
            String encoding = "";
            int measured = 0;
            for (String key : sample) {
                Object usage = redis.onKeyOwner(key, "MEMORY", "USAGE", key, "SAMPLES", "0");
                if (usage == null) {
                    continue; // expired or deleted since the scan
                }
                type = String.valueOf(redis.onKeyOwner(key, "TYPE", key));
                encoding = String.valueOf(redis.onKeyOwner(key, "OBJECT", "ENCODING", key));
                bytes += (Long) usage;
                elements += elements(redis, key, type);
                ttl += ((Long) redis.onKeyOwner(key, "PTTL", key)) > 0 ? 1 : 0;
                measured++;
            }
            if (measured > 0) {
                kinds.add(new Kind(shape, n[0], measured, type, encoding, bytes / measured, elements / measured, ttl / measured));
            }
        });
        return kinds;
    }

    private static long elements(RedisTopology redis, String key, String type) {
        Object n = switch (type) {
            case "string" -> redis.onKeyOwner(key, "STRLEN", key);
            case "hash" -> redis.onKeyOwner(key, "HLEN", key);
            case "zset" -> redis.onKeyOwner(key, "ZCARD", key);
            case "set" -> redis.onKeyOwner(key, "SCARD", key);
            case "list" -> redis.onKeyOwner(key, "LLEN", key);
            default -> 0L;
        };
        return n instanceof Long l ? l : 0;
    }
}
