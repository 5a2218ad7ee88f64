package io.otaedge.common.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.otaedge.common.redis.LocalRedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real local Redis Cluster for tests: 3 masters and 3 replicas, each a {@code redis-server} process
 * from the binary {@link LocalRedisServer} picks (the one on the PATH, else the one shipped in the
 * {@code embedded-redis} artifact), with AOF on and its data in a temporary directory. The cluster is
 * formed over plain commands, as {@code redis-cli --cluster create} does it: distinct config epochs,
 * {@code CLUSTER ADDSLOTS} on the masters, {@code CLUSTER MEET}, then {@code CLUSTER REPLICATE}. A short
 * {@code cluster-node-timeout} keeps a failover within seconds. {@link #start()} returns once every node
 * says {@code cluster_state:ok}, all nodes agree on the masters and every replica's link is up (polled,
 * never slept). {@link #close()} stops every node and deletes their data.
 *
 * <p>Start one per test class: forming takes a second or two.
 */
public final class RedisCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisCluster.class);
    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofMillis(2000);
    private static final int SLOTS = SlotHash.SLOT_COUNT;
    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(60);
    /** The cluster bus listens on the data port + 10000: both must be free, so ports come from below 55536. */
    private static final int BUS_OFFSET = 10000;

    /** One node: its data port, its process and its data directory. */
    public static final class Node {
        private final int port;
        private final Path dir;
        private volatile LocalRedisServer server;
        private volatile String id;

        private Node(int port, Path dir, LocalRedisServer server) {
            this.port = port;
            this.dir = dir;
            this.server = server;
        }

        public int port() {
            return port;
        }

        /** The node's cluster id (stable across restarts: it lives in the node's nodes.conf). */
        public String id() {
            return id;
        }

        public long pid() {
            return server.pid();
        }

        public boolean alive() {
            return server.isActive();
        }

        @Override
        public String toString() {
            return "127.0.0.1:" + port + (id == null ? "" : " (" + id.substring(0, 8) + ")");
        }
    }

    private final Path root;
    private final Duration nodeTimeout;
    private final List<Node> nodes = new ArrayList<>();
    private final ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
    private final RedisClient client = RedisClient.create(resources);
    private final Map<Integer, StatefulRedisConnection<String, String>> connections = new ConcurrentHashMap<>();

    private RedisCluster(Path root, Duration nodeTimeout) {
        this.root = root;
        this.nodeTimeout = nodeTimeout;
    }

    /** Starts 3 masters + 3 replicas with the default node timeout. */
    public static RedisCluster start() {
        return start(3, DEFAULT_NODE_TIMEOUT);
    }

    /** Starts {@code masters} masters with one replica each; a node not heard from for {@code nodeTimeout} is failed over. */
    public static RedisCluster start(int masters, Duration nodeTimeout) {
        if (masters < 3) {
            // A failover needs a majority of masters to agree that one failed.
            throw new IllegalArgumentException("a cluster that can fail over needs at least 3 masters");
        }
        Path root;
        try {
            root = Files.createTempDirectory("ota-redis-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RedisCluster cluster = new RedisCluster(root, nodeTimeout);
        try {
            long began = System.nanoTime();
            cluster.startNodes(masters * 2);
            cluster.form(masters);
            log.info("Redis Cluster of {} nodes formed in {} ms: {}", masters * 2,
                    (System.nanoTime() - began) / 1_000_000, cluster.uri());
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** {@code redis-cluster://} with every node as a seed. */
    public String uri() {
        return "redis-cluster://" + nodes.stream().map(n -> "127.0.0.1:" + n.port).collect(Collectors.joining(","));
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** The live masters serving slots, as a live node sees them now, ordered by port. */
    public List<Node> masters() {
        Node witness = nodes.stream().filter(Node::alive).findFirst().orElseThrow(() -> new IllegalStateException("no live node"));
        Set<String> ids = view(witness).stream().filter(l -> l.master() && l.servesSlots() && !l.failed())
                .map(ClusterLine::id).collect(Collectors.toSet());
        return nodes.stream().filter(n -> ids.contains(n.id) && n.alive()).sorted(Comparator.comparingInt(Node::port)).toList();
    }

    /** The live master that serves {@code key}'s slot now. */
    public Node masterOf(String key) {
        int slot = SlotHash.getSlot(key);
        Node witness = nodes.stream().filter(Node::alive).findFirst().orElseThrow(() -> new IllegalStateException("no live node"));
        String id = view(witness).stream().filter(l -> l.master() && !l.failed() && l.serves(slot)).map(ClusterLine::id)
                .findFirst().orElseThrow(() -> new IllegalStateException("no master serves slot " + slot));
        return nodes.stream().filter(n -> id.equals(n.id)).findFirst().orElseThrow();
    }

    /** SIGKILLs the {@code index}-th live master (by port), as a crash would; returns it. */
    public Node kill9Master(int index) {
        Node master = masters().get(index);
        kill9(master);
        return master;
    }

    /** SIGKILLs the master that serves {@code key}; returns it. */
    public Node kill9MasterOf(String key) {
        Node master = masterOf(key);
        kill9(master);
        return master;
    }

    /** SIGKILLs one node and waits until its process is gone. */
    public void kill9(Node node) {
        disconnect(node);
        ProcessHandle.of(node.pid()).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
        node.server.close(); // the process is gone: this only lets its data directory go
        log.info("killed Redis Cluster node {} with SIGKILL", node);
    }

    /** Starts a killed node again on its port and data (it rejoins, as a replica of whoever took its slots). */
    public void restart(Node node) {
        if (node.alive()) {
            throw new IllegalStateException(node + " is running");
        }
        node.server = LocalRedisServer.start(node.dir, node.port, nodeOptions());
    }

    /**
     * Waits until every live node says {@code cluster_state:ok}, all of them see the same live masters
     * covering every slot, and every live replica's link to its master is up.
     */
    public void awaitHealthy(Duration timeout) {
        Await.until(timeout, this::healthProblem, String::isEmpty, "a healthy Redis Cluster");
    }

    /** What keeps the cluster from healthy now ('' when nothing does). */
    private String healthProblem() {
        Set<String> masters = null;
        for (Node n : nodes) {
            if (!n.alive()) {
                continue;
            }
            try {
                RedisCommands<String, String> r = on(n);
                if (!r.clusterInfo().contains("cluster_state:ok")) {
                    return n + " is not cluster_state:ok";
                }
                List<ClusterLine> view = ClusterLine.parse(r.clusterNodes());
                Set<String> liveIds = nodes.stream().filter(Node::alive).map(x -> x.id).collect(Collectors.toSet());
                if (view.stream().anyMatch(l -> liveIds.contains(l.id()) && (l.failed() || l.handshake()))) {
                    return n + " sees a live node as failed or in handshake";
                }
                if (!liveIds.stream().allMatch(id -> view.stream().anyMatch(l -> l.id().equals(id)))) {
                    return n + " does not know every live node yet";
                }
                Set<String> seen = view.stream().filter(l -> l.master() && l.servesSlots() && !l.failed())
                        .map(ClusterLine::id).collect(Collectors.toSet());
                if (masters == null) {
                    masters = seen;
                } else if (!masters.equals(seen)) {
                    return "nodes disagree on the masters";
                }
                if (view.stream().filter(l -> l.id().equals(n.id)).anyMatch(l -> !l.master())
                        && !r.info("replication").contains("master_link_status:up")) {
                    return "replica " + n + " is not in sync yet";
                }
            } catch (RuntimeException e) {
                return n + " did not answer: " + e;
            }
        }
        return masters == null ? "no live node" : "";
    }

    private void startNodes(int count) {
        ExecutorService starters = Executors.newFixedThreadPool(count);
        try {
            List<CompletableFuture<Node>> started = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Path dir = root.resolve("node-" + i);
                started.add(CompletableFuture.supplyAsync(() -> startNode(dir), starters));
            }
            started.forEach(f -> nodes.add(f.join()));
        } finally {
            starters.shutdown();
        }
    }

    /** A node on a random port whose bus port is free too; another pick when someone took the port meanwhile. */
    private Node startNode(Path dir) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePortPair();
            try {
                return new Node(port, dir, LocalRedisServer.start(dir, port, nodeOptions()));
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw last;
    }

    private List<String> nodeOptions() {
        return List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()),
                // A replica takes over however long ago it last heard its master (tests kill masters on purpose).
                "--cluster-replica-validity-factor", "0",
                // Replicas sync straight from memory, at once: forming the cluster takes seconds, not tens.
                "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0");
    }

    private void form(int masters) {
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            RedisCommands<String, String> r = on(n);
            n.id = r.clusterMyId();
            r.clusterSetConfigEpoch(i + 1);
            if (i < masters) {
                r.clusterAddSlots(IntStream.range(SLOTS * i / masters, SLOTS * (i + 1) / masters).toArray());
            }
        }
        for (Node n : nodes.subList(1, nodes.size())) {
            on(nodes.get(0)).clusterMeet("127.0.0.1", n.port);
        }
        // A replica can only follow a master it already knows.
        Await.until(FORM_TIMEOUT, () -> nodes.subList(masters, nodes.size()).stream().allMatch(n ->
                view(n).stream().filter(l -> !l.handshake()).map(ClusterLine::id).collect(Collectors.toSet())
                        .containsAll(nodes.subList(0, masters).stream().map(m -> m.id).toList())), "the nodes to meet");
        for (int i = masters; i < nodes.size(); i++) {
            on(nodes.get(i)).clusterReplicate(nodes.get(i % masters).id);
        }
        awaitHealthy(FORM_TIMEOUT);
    }

    private List<ClusterLine> view(Node n) {
        return ClusterLine.parse(on(n).clusterNodes());
    }

    /** One line of {@code CLUSTER NODES}: id, flags and the slot ranges it serves. */
    record ClusterLine(String id, Set<String> flags, List<int[]> slots) {

        static List<ClusterLine> parse(String nodes) {
            return nodes.lines().filter(l -> !l.isBlank()).map(ClusterLine::parseLine).toList();
        }

        private static ClusterLine parseLine(String line) {
            String[] f = line.strip().split(" ");
            List<int[]> slots = new ArrayList<>();
            for (int i = 8; i < f.length; i++) {
                if (f[i].startsWith("[")) {
                    continue; // a slot being migrated
                }
                int dash = f[i].indexOf('-');
                int from = Integer.parseInt(dash < 0 ? f[i] : f[i].substring(0, dash));
                slots.add(new int[] {from, dash < 0 ? from : Integer.parseInt(f[i].substring(dash + 1))});
            }
            return new ClusterLine(f[0], Set.of(f[2].split(",")), slots);
        }

        boolean master() {
            return flags.contains("master");
        }

        boolean failed() {
            return flags.contains("fail") || flags.contains("fail?") || flags.contains("noaddr");
        }

        boolean handshake() {
            return flags.contains("handshake");
        }

        boolean servesSlots() {
            return !slots.isEmpty();
        }

        boolean serves(int slot) {
            return slots.stream().anyMatch(r -> r[0] <= slot && slot <= r[1]);
        }
    }

    /** The fixture's own connection to a node (one per node, dropped when the node is killed). */
    private RedisCommands<String, String> on(Node n) {
        return connections.computeIfAbsent(n.port, port -> client.connect(RedisURI.builder().withHost("127.0.0.1")
                .withPort(port).withTimeout(Duration.ofSeconds(2)).build())).sync();
    }

    private void disconnect(Node n) {
        StatefulRedisConnection<String, String> c = connections.remove(n.port);
        if (c != null) {
            c.close();
        }
    }

    private static int freePortPair() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 65_536 - BUS_OFFSET);
            if (free(port) && free(port + BUS_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair for a Redis Cluster node");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops every node that still runs and deletes the cluster's data. */
    @Override
    public void close() {
        // The fixture's own connections go first, so that they do not try to reconnect to stopped nodes.
        connections.values().forEach(StatefulRedisConnection::close);
        connections.clear();
        for (Node n : nodes) {
            try {
                n.server.close();
            } catch (RuntimeException e) {
                log.warn("could not stop Redis Cluster node {}: {}", n, e.toString());
            }
        }
        client.shutdown();
        resources.shutdown();
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete {}: {}", root, e.toString());
        }
    }
}
