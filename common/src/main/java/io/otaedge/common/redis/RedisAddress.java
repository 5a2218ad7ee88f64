package io.otaedge.common.redis;

import io.lettuce.core.RedisURI;
import io.otaedge.common.config.ConfigException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where Redis is, read from {@code OTA_REDIS_URI}: one node ({@code redis://…}, {@code rediss://…}, as
 * Lettuce reads them) or a Redis Cluster ({@code redis-cluster://[user:password@]host1:port1,host2:port2,…},
 * {@code rediss-cluster://…} for TLS). A cluster's nodes are only seeds: the client learns the rest of the
 * topology from any one that answers, so listing several only helps start-up when some are down.
 *
 * @param cluster whether the URI names a cluster
 * @param nodes   the single node, or the cluster's seed nodes (each carrying the credentials and TLS flag)
 */
public record RedisAddress(boolean cluster, List<RedisURI> nodes) {

    public static final String KEY = "OTA_REDIS_URI";
    static final String CLUSTER = "redis-cluster://";
    static final String CLUSTER_TLS = "rediss-cluster://";
    private static final int DEFAULT_PORT = 6379;

    public RedisAddress {
        nodes = List.copyOf(nodes);
    }

    /** Parses a URI; a malformed one is a {@link ConfigException} naming the key and the form expected. */
    public static RedisAddress parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new ConfigException(KEY + " is empty: expected redis://host:port, rediss://…, or "
                    + CLUSTER + "host1:port1,host2:port2,…");
        }
        if (uri.startsWith(CLUSTER) || uri.startsWith(CLUSTER_TLS)) {
            return parseCluster(uri);
        }
        try {
            return new RedisAddress(false, List.of(RedisURI.create(uri)));
        } catch (IllegalArgumentException e) {
            throw invalid(uri, "redis://[user:password@]host:port[/db] or rediss://… (" + e.getMessage() + ")");
        }
    }

    private static RedisAddress parseCluster(String uri) {
        boolean tls = uri.startsWith(CLUSTER_TLS);
        String rest = uri.substring(tls ? CLUSTER_TLS.length() : CLUSTER.length());
        int at = rest.lastIndexOf('@');
        String user = null;
        char[] password = null;
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            String u = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            user = u.isEmpty() ? null : u;
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1)).toCharArray();
        }
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            String db = rest.substring(slash + 1);
            // A cluster has database 0 only; say so rather than silently ignore another number.
            if (!db.isEmpty() && !db.equals("0")) {
                throw invalid(uri, "no database number other than 0 (a Redis Cluster has only database 0)");
            }
            rest = rest.substring(0, slash);
        }
        List<RedisURI> nodes = new ArrayList<>();
        for (String hostPort : rest.split(",", -1)) {
            RedisURI.Builder node = node(uri, hostPort).withSsl(tls);
            if (password != null) {
                if (user != null) {
                    node.withAuthentication(user, password);
                } else {
                    node.withPassword(password);
                }
            }
            nodes.add(node.build());
        }
        return new RedisAddress(true, nodes);
    }

    private static RedisURI.Builder node(String uri, String hostPort) {
        String host;
        String port;
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            if (end < 0) {
                throw invalid(uri, "a closing ']' after the IPv6 address in '" + hostPort + "'");
            }
            host = hostPort.substring(1, end);
            String after = hostPort.substring(end + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw invalid(uri, "host:port pairs separated by ',' (got '" + hostPort + "')");
            }
            port = after.isEmpty() ? "" : after.substring(1);
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            port = colon < 0 ? "" : hostPort.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw invalid(uri, "host:port pairs separated by ',' (an entry has no host)");
        }
        return RedisURI.builder().withHost(host).withPort(port.isEmpty() ? DEFAULT_PORT : port(uri, port));
    }

    private static int port(String uri, String port) {
        try {
            int p = Integer.parseInt(port);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(uri, "a port between 1 and 65535 (got '" + port + "')");
    }

    private static String decode(String s) {
        // Percent-decoding only: a '+' in a password is a plus, and a lone '%' stays as written.
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static ConfigException invalid(String uri, String expected) {
        return new ConfigException(KEY, RedisConnector.redacted(uri), expected);
    }
}
