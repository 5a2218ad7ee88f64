package io.otaedge.common.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import io.otaedge.common.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import reactor.core.Disposable;

/**
 * One Lettuce client and one multiplexed connection per service, to one Redis node or to a Redis Cluster
 * ({@link RedisAddress}). Lettuce connections are thread-safe and pipeline commands from every caller over
 * one socket (one per cluster node), which is what the hot paths want; the client reconnects by itself
 * after Redis restarts. Callers see only the command types a single node and a cluster share
 * ({@link RedisClusterAsyncCommands}), so no code path can rely on single-node-only commands.
 */
public final class RedisConnector implements AutoCloseable {

    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /**
     * The longest wait between two reconnect attempts. Lettuce's default backoff doubles up to 30 s, so after
     * a long outage the service found Redis back only seconds after it answered again; reconnecting to one
     * Redis at most twice a second costs nothing and keeps recovery under one second.
     */
    public static final Duration RECONNECT_DELAY_MAX = Duration.ofMillis(500);
    private static final Duration RECONNECT_DELAY_MIN = Duration.ofMillis(10);
    /** A cluster's topology is re-read this often even when nothing hints at a change (a reshard, a new node). */
    public static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(30);
    /**
     * The least time between two topology refreshes a redirect, an uncovered slot or a dead node triggers.
     * Lettuce's default of 30 s would let a refresh that ran while a failover was still electing its new
     * master hide the promoted replica for half a minute; one second bounds that pause.
     */
    static final Duration ADAPTIVE_REFRESH_MIN_GAP = Duration.ofSeconds(1);
    /** Reconnect attempts to one node after which its topology is re-read (a master that died). */
    private static final int RECONNECTS_BEFORE_REFRESH = 3;

    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> connection;
    private final RedisClusterAsyncCommands<String, String> async;
    private final RedisClusterCommands<String, String> sync;
    private final boolean cluster;
    /** On a cluster: connects to new masters as soon as the topology names them (see {@link #warmMasters()}). */
    private final Disposable topologyWatch;

    private RedisConnector(ClientResources resources, AbstractRedisClient client, StatefulRedisConnection<String, String> node) {
        this(resources, client, node, node.async(), node.sync(), false);
    }

    private RedisConnector(ClientResources resources, AbstractRedisClient client, StatefulRedisClusterConnection<String, String> c) {
        this(resources, client, c, c.async(), c.sync(), true);
    }

    private RedisConnector(ClientResources resources, AbstractRedisClient client, StatefulConnection<String, String> connection,
                           RedisClusterAsyncCommands<String, String> async,
                           RedisClusterCommands<String, String> sync, boolean cluster) {
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.async = async;
        this.sync = sync;
        this.cluster = cluster;
        this.topologyWatch = !cluster ? null : resources.eventBus().get()
                .filter(ClusterTopologyChangedEvent.class::isInstance)
                .subscribe(e -> warmMasters());
    }

    /**
     * Opens the connection to every master now rather than at its first command. Lettuce connects to a
     * cluster node lazily, and with {@code REJECT_COMMANDS} a command that finds its node's connection
     * still opening is refused: the first command to each master (after start-up, and to a replica just
     * promoted) would fail for nothing.
     */
    private CompletableFuture<Void> warmMasters() {
        StatefulRedisClusterConnection<String, String> c = (StatefulRedisClusterConnection<String, String>) connection;
        List<CompletableFuture<?>> opening = new ArrayList<>();
        for (RedisClusterNode node : c.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()) {
                // By host and port: the key Lettuce routes a slot's writes by.
                opening.add(c.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort()).exceptionally(e -> null));
            }
        }
        return CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new));
    }

    /** Connects to {@code uri} (for example {@code redis://127.0.0.1:6379/0} or {@code redis-cluster://h1:7000,h2:7000}). */
    public static RedisConnector connect(String uri) {
        return connect(uri, DEFAULT_COMMAND_TIMEOUT);
    }

    public static RedisConnector connect(String uri, Duration commandTimeout) {
        return connect(uri, commandTimeout, null);
    }

    /**
     * Connects and, when {@code metrics} is given, records every command's latency there
     * ({@code lettuce_command_completion_seconds}, {@code lettuce_command_firstresponse_seconds}).
     */
    public static RedisConnector connect(String uri, Duration commandTimeout, MeterRegistry metrics) {
        RedisAddress address = RedisAddress.parse(uri);
        DefaultClientResources.Builder builder = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(RECONNECT_DELAY_MIN, RECONNECT_DELAY_MAX, 2, TimeUnit.MILLISECONDS));
        if (metrics != null) {
            builder.commandLatencyRecorder(new MicrometerCommandLatencyRecorder(metrics, MicrometerOptions.create()));
        }
        ClientResources resources = builder.build();
        AbstractRedisClient client = null;
        try {
            if (address.cluster()) {
                RedisClusterClient c = RedisClusterClient.create(resources, address.nodes());
                client = c;
                c.setOptions(clusterOptions(commandTimeout));
                StatefulRedisClusterConnection<String, String> connection = c.connect();
                // Reads go to masters: a replica may lag behind a write the same device just made.
                connection.setReadFrom(ReadFrom.UPSTREAM);
                RedisConnector connector = new RedisConnector(resources, c, connection);
                connector.warmMasters().get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
                return connector;
            }
            RedisClient c = RedisClient.create(resources, address.nodes().get(0));
            client = c;
            c.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                    .build());
            return new RedisConnector(resources, c, c.connect());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to Redis", e);
        } catch (RedisException | ExecutionException | TimeoutException e) {
            if (client != null) {
                client.shutdown();
            }
            resources.shutdown();
            throw new ConfigException("cannot reach Redis " + (address.cluster() ? "Cluster " : "") + "at " + redacted(uri)
                    + ": " + rootMessage(e) + " (check OTA_REDIS_URI and that Redis is running)");
        }
    }

    private static ClusterClientOptions clusterOptions(Duration commandTimeout) {
        return ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                        // MOVED/ASK, an uncovered slot, an unknown node and a node that keeps refusing reconnects.
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_MIN_GAP)
                        .refreshTriggersReconnectAttempts(RECONNECTS_BEFORE_REFRESH)
                        .build())
                // A node the cluster marked failed gets no commands: its slots are served by the promoted replica.
                .nodeFilter(node -> !node.is(RedisClusterNode.NodeFlag.FAIL)
                        && !node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL)
                        && !node.is(RedisClusterNode.NodeFlag.NOADDR))
                .autoReconnect(true)
                // While Redis is down, fail commands at once instead of queueing them without bound:
                // the callers turn that into a 503 and a retry, which is what a device understands.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build();
    }

    /** The URI without its password, for messages. */
    static String redacted(String uri) {
        return uri.replaceFirst("^([a-z-]+://)[^@/]*@", "$1***@");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** Non-blocking commands: routed by key slot on a cluster, multiplexed on one socket per node. */
    public RedisClusterAsyncCommands<String, String> async() {
        return async;
    }


    /** Blocking commands, for tests and tools only: never on an event loop. */
    public RedisClusterCommands<String, String> sync() {
        return sync;
    }

    public StatefulConnection<String, String> connection() {
        return connection;
    }

    /**
     * A connection of its own for Redis pub/sub (a subscribed connection takes no other commands), to the same node
     * or cluster; Lettuce subscribes again by itself after a reconnect. The caller closes it.
     */
    public StatefulRedisPubSubConnection<String, String> connectPubSub() {
        return client instanceof RedisClusterClient c ? c.connectPubSub() : ((RedisClient) client).connectPubSub();
    }

    /** Whether this connects to a Redis Cluster (else one node). */
    public boolean cluster() {
        return cluster;
    }

    /** The client's thread pools and settings, for scheduling small non-blocking work beside it. */
    public ClientResources resources() {
        return resources;
    }

    @Override
    public void close() {
        if (topologyWatch != null) {
            topologyWatch.dispose();
        }
        connection.close();
        client.shutdown();
        resources.shutdown();
    }
}
