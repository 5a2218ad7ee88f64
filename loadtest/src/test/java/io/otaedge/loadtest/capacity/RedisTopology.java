package io.otaedge.loadtest.capacity;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The masters of the Redis under measurement, one connection each: one node for {@code redis://},
 * every master {@code CLUSTER NODES} lists for a cluster. Per-node figures (INFO) are summed by the
 * callers; key questions go to the node that owns the key (following {@code MOVED}).
 */
final class RedisTopology implements AutoCloseable {

    private final Map<String, Resp> masters = new LinkedHashMap<>();
    private final RedisNode seed;
    final boolean cluster;

    private RedisTopology(RedisNode seed, boolean cluster) {
        this.seed = seed;
        this.cluster = cluster;
    }

    static RedisTopology connect(String uri) {
        RedisNode.Seeds seeds = RedisNode.parse(uri);
        RuntimeException last = null;
        for (RedisNode s : seeds.nodes()) {
            try (Resp r = Resp.open(s)) {
                boolean cluster = r.text("INFO", "cluster").contains("cluster_enabled:1");
                RedisTopology t = new RedisTopology(s, cluster);
                if (cluster) {
                    for (String line : r.text("CLUSTER", "NODES").split("\n")) {
                        String[] f = line.trim().split(" ");
                        if (f.length > 2 && f[2].contains("master") && !f[2].contains("fail")) {
                            String hostPort = f[1].split("@")[0];
                            int c = hostPort.lastIndexOf(':');
                            String host = hostPort.substring(0, c).isEmpty() ? s.host() : hostPort.substring(0, c);
                            t.open(s.at(host, Integer.parseInt(hostPort.substring(c + 1))));
                        }
                    }
                } else {
                    t.open(s);
                }
                return t;
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new IllegalStateException("no seed of " + uri + " answered", last);
    }

    private Resp open(RedisNode node) {
        return masters.computeIfAbsent(node.toString(), k -> Resp.open(node));
    }

    List<Resp> masters() {
        return List.copyOf(masters.values());
    }

    /** The probe's own client addresses, so MONITOR lines of its own commands can be left out. */
    Set<String> ownAddresses() {
        Set<String> own = new HashSet<>();
        masters.values().forEach(r -> own.add(r.localAddress()));
        return own;
    }

    /** One command about one key, sent to the node that owns it. */
    Object onKeyOwner(String key, String... command) {
        Resp r = masters.values().iterator().next();
        for (int hop = 0; hop < 3; hop++) {
            try {
                return r.call(command);
            } catch (Resp.RedisError e) {
                String m = e.getMessage();
                if (!m.startsWith("MOVED ") && !m.startsWith("ASK ")) {
                    throw e;
                }
                String hostPort = m.split(" ")[2];
                int c = hostPort.lastIndexOf(':');
                r = open(seed.at(hostPort.substring(0, c), Integer.parseInt(hostPort.substring(c + 1))));
            }
        }
        throw new IllegalStateException("too many redirects for " + key);
    }

    /** Every key on every master, {@code SCAN} by {@code SCAN} (never {@code KEYS}). */
    @SuppressWarnings("unchecked")
    void scan(String pattern, Consumer<String> keys) {
        for (Resp r : masters()) {
            String cursor = "0";
            do {
                List<Object> reply = (List<Object>) r.call("SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
                cursor = (String) reply.get(0);
                for (Object k : (List<Object>) reply.get(1)) {
                    keys.accept((String) k);
                }
            } while (!cursor.equals("0"));
        }
    }

    /** {@code INFO <section>} of every master, parsed into name → value and summed where numeric. */
    Map<String, String> infoSummed(String section) {
        Map<String, String> sum = new LinkedHashMap<>();
        for (Resp r : masters()) {
            for (Map.Entry<String, String> e : Info.parse(r.text("INFO", section)).entrySet()) {
                sum.merge(e.getKey(), e.getValue(), Info::add);
            }
        }
        return sum;
    }

    List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Resp r : masters()) {
            Map<String, String> server = Info.parse(r.text("INFO", "server"));
            out.add(r.node + " redis " + server.get("redis_version"));
        }
        return out;
    }

    @Override
    public void close() {
        masters.values().forEach(Resp::close);
    }
}
