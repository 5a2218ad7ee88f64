package io.otaedge.common.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.otaedge.common.config.ConfigException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Lettuce client per service and a few multiplexed connections, by default one per core.
 * Lettuce connections are thread-safe and pipeline commands from every caller over one socket,
 * but each is served by one I/O thread, and the async API completes futures, and so runs every
 * continuation (JSON decoding, the next command), on that thread: with a single connection a
 * service's Redis-bound work is capped at one core. {@link #async()} therefore spreads commands
 * over the connections, each on its own I/O thread. That is safe because nothing here uses
 * MULTI/WATCH (atomic steps are Lua scripts); a request's commands run one after another, each
 * awaiting the last, so their order holds whichever connection carries them. The client
 * reconnects by itself after Redis restarts.
 */
public final class RedisConnector implements AutoCloseable {

    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private final ClientResources resources;
    private final RedisClient client;
    private final List<StatefulRedisConnection<String, String>> connections;
    private final RedisAsyncCommands<String, String> async;

    private RedisConnector(ClientResources resources, RedisClient client,
                           List<StatefulRedisConnection<String, String>> connections) {
        this.resources = resources;
        this.client = client;
        this.connections = List.copyOf(connections);
        this.async = connections.size() == 1 ? connections.get(0).async() : roundRobin(this.connections);
    }

    /** The default pool size: one connection, and so one Lettuce I/O thread, per core. */
    public static int defaultConnections() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** Connects to {@code uri} (for example {@code redis://127.0.0.1:6379/0}). */
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
        return connect(uri, commandTimeout, metrics, defaultConnections());
    }

    /** As {@link #connect(String, Duration, MeterRegistry)}, with {@code connections} connections ({@code OTA_REDIS_CONNECTIONS}). */
    public static RedisConnector connect(String uri, Duration commandTimeout, MeterRegistry metrics, int connections) {
        if (connections < 1) {
            throw new ConfigException("OTA_REDIS_CONNECTIONS", Integer.toString(connections), "a positive integer");
        }
        DefaultClientResources.Builder builder = DefaultClientResources.builder();
        if (metrics != null) {
            builder.commandLatencyRecorder(new MicrometerCommandLatencyRecorder(metrics, MicrometerOptions.create()));
        }
        ClientResources resources = builder.build();
        RedisClient client = RedisClient.create(resources, RedisURI.create(uri));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // While Redis is down, fail commands at once instead of queueing them without bound:
                // the callers turn that into a 503 and a retry, which is what a device understands.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build());
        List<StatefulRedisConnection<String, String>> opened = new ArrayList<>(connections);
        try {
            for (int i = 0; i < connections; i++) {
                opened.add(client.connect());
            }
            return new RedisConnector(resources, client, opened);
        } catch (RedisConnectionException e) {
            opened.forEach(StatefulRedisConnection::close);
            client.shutdown();
            resources.shutdown();
            throw new ConfigException("cannot reach Redis at " + redacted(uri) + ": " + rootMessage(e)
                    + " (check OTA_REDIS_URI and that Redis is running)");
        }
    }

    /** The URI without its password, for messages. */
    static String redacted(String uri) {
        return uri.replaceFirst("^([a-z]+://)[^@/]*@", "$1***@");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** Async commands, each sent on the next connection of the pool. */
    public RedisAsyncCommands<String, String> async() {
        return async;
    }

    public RedisReactiveCommands<String, String> reactive() {
        return connections.get(0).reactive();
    }

    /** The first connection of the pool. */
    public StatefulRedisConnection<String, String> connection() {
        return connections.get(0);
    }

    /** How many connections the pool holds. */
    public int connectionCount() {
        return connections.size();
    }

    /** An {@link RedisAsyncCommands} whose every call goes to the next connection in turn. */
    @SuppressWarnings("unchecked")
    private static RedisAsyncCommands<String, String> roundRobin(List<StatefulRedisConnection<String, String>> connections) {
        List<RedisAsyncCommands<String, String>> targets = connections.stream().map(StatefulRedisConnection::async).toList();
        AtomicInteger next = new AtomicInteger();
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "RedisAsyncCommands over " + targets.size() + " connections";
                };
            }
            RedisAsyncCommands<String, String> target = targets.get(Math.floorMod(next.getAndIncrement(), targets.size()));
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (RedisAsyncCommands<String, String>) Proxy.newProxyInstance(RedisAsyncCommands.class.getClassLoader(),
                new Class<?>[] {RedisAsyncCommands.class}, handler);
    }

    /** The client's thread pools and settings, for scheduling small non-blocking work beside it. */
    public ClientResources resources() {
        return resources;
    }

    @Override
    public void close() {
        connections.forEach(StatefulRedisConnection::close);
        client.shutdown();
        resources.shutdown();
    }
}
