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
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import io.otaedge.common.config.ConfigException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One Lettuce client and one multiplexed connection per service. Lettuce connections are
 * thread-safe and pipeline commands from every caller over one socket, which is what the hot
 * paths want; the client reconnects by itself after Redis restarts.
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

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private RedisConnector(ClientResources resources, RedisClient client, StatefulRedisConnection<String, String> connection) {
        this.resources = resources;
        this.client = client;
        this.connection = connection;
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
        DefaultClientResources.Builder builder = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(RECONNECT_DELAY_MIN, RECONNECT_DELAY_MAX, 2, TimeUnit.MILLISECONDS));
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
        try {
            return new RedisConnector(resources, client, client.connect());
        } catch (RedisConnectionException e) {
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

    public RedisAsyncCommands<String, String> async() {
        return connection.async();
    }

    public RedisReactiveCommands<String, String> reactive() {
        return connection.reactive();
    }

    public StatefulRedisConnection<String, String> connection() {
        return connection;
    }

    /** The client's thread pools and settings, for scheduling small non-blocking work beside it. */
    public ClientResources resources() {
        return resources;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
        resources.shutdown();
    }
}
