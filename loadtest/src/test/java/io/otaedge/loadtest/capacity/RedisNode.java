package io.otaedge.loadtest.capacity;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One Redis server to measure, with the credentials of the URI it came from. Parses the forms of
 * {@code OTA_REDIS_URI}: {@code redis://[user:password@]host:port[/db]}, {@code rediss://…}, and the
 * cluster form {@code redis-cluster://[user:password@]h1:p1,h2:p2} (and {@code rediss-cluster://…}),
 * whose nodes are seeds: the masters are found with {@link RedisTopology}.
 */
record RedisNode(String host, int port, String user, String password, boolean tls) {

    /** The seed nodes a URI names, and whether it is the cluster form. */
    record Seeds(List<RedisNode> nodes, boolean cluster) {
    }

    static Seeds parse(String uri) {
        int colon = uri.indexOf("://");
        if (colon < 0) {
            throw new IllegalArgumentException("not a Redis URI: " + uri);
        }
        String scheme = uri.substring(0, colon);
        boolean cluster = scheme.endsWith("-cluster");
        boolean tls = scheme.startsWith("rediss");
        if (!List.of("redis", "rediss", "redis-cluster", "rediss-cluster").contains(scheme)) {
            throw new IllegalArgumentException("unknown Redis URI scheme " + scheme + " in " + uri);
        }
        String rest = uri.substring(colon + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String info = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int c = info.indexOf(':');
            if (c < 0) {
                password = decode(info);
            } else {
                user = c == 0 ? null : decode(info.substring(0, c));
                password = decode(info.substring(c + 1));
            }
        }
        List<RedisNode> nodes = new ArrayList<>();
        for (String hp : authority.split(",")) {
            URI u = URI.create("redis://" + hp.trim());
            nodes.add(new RedisNode(u.getHost(), u.getPort() < 0 ? 6379 : u.getPort(), user, password, tls));
        }
        return new Seeds(List.copyOf(nodes), cluster);
    }

    RedisNode at(String host, int port) {
        return new RedisNode(host, port, user, password, tls);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
