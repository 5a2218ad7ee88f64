package io.otaedge.common.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;

/**
 * Readiness evidence for a service that needs Redis: a PING every interval, and the time Redis
 * last answered. A service is "ready" while its connection is up and that answer is recent; nothing
 * blocks, the PING is async and runs on Lettuce's own computation threads.
 *
 * <p>A dropped connection makes the service unready at once (the PING's age alone would take three
 * intervals), and a restored one is probed at once rather than at the next tick, so readiness follows
 * Redis within the reconnect delay ({@link RedisConnector#RECONNECT_DELAY_MAX}).
 *
 * <p>On a Redis Cluster the probe is {@code CLUSTER INFO} through the connection (which Lettuce sends to a
 * node it can reach), and only {@code cluster_state:ok} counts as an answer: that node sees every slot
 * served by a reachable master. A failover's short {@code cluster_state:fail} stays under the three missed
 * answers, so every instance does not turn unready at once for a pause the clients ride out.
 */
public final class RedisProbe implements AutoCloseable {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private final RedisClusterAsyncCommands<String, String> redis;
    private final boolean cluster;
    private final StatefulConnection<String, String> connection;
    private final long maxAgeNanos;
    private final ScheduledFuture<?> schedule;
    private final Disposable reconnects;
    private volatile long lastAnswerNanos;
    private volatile boolean answered;

    private RedisProbe(RedisConnector connector, ScheduledExecutorService executor, Duration interval) {
        this.redis = connector.async();
        this.connection = connector.connection();
        this.cluster = connector.cluster();
        // Three missed answers in a row make the service unready; one slow PING does not.
        this.maxAgeNanos = interval.toNanos() * 3;
        this.reconnects = connector.resources().eventBus().get()
                .filter(ConnectionActivatedEvent.class::isInstance)
                .subscribe(e -> ping());
        this.schedule = executor.scheduleAtFixedRate(this::ping, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Starts probing through {@code redis}'s connection, every {@code interval}. */
    public static RedisProbe start(RedisConnector redis, Duration interval) {
        return new RedisProbe(redis, redis.resources().eventExecutorGroup(), interval);
    }

    private void ping() {
        try {
            CompletionStage<Boolean> answer = cluster
                    ? redis.clusterInfo().thenApply(RedisProbe::clusterOk)
                    : redis.ping().thenApply(pong -> true);
            answer.whenComplete((ok, error) -> {
                if (error == null && ok) {
                    lastAnswerNanos = System.nanoTime();
                    answered = true;
                }
            });
        } catch (RuntimeException e) {
            // rejected while disconnected: the answer simply grows old
        }
    }

    /** Whether a {@code CLUSTER INFO} reply says every slot is served. */
    static boolean clusterOk(String info) {
        return info != null && info.lines().anyMatch(line -> line.strip().equals("cluster_state:ok"));
    }

    /** True while the connection is up and Redis answered a PING within the last three intervals. */
    public boolean healthy() {
        return connection.isOpen() && answered && System.nanoTime() - lastAnswerNanos < maxAgeNanos;
    }

    @Override
    public void close() {
        schedule.cancel(false);
        reconnects.dispose();
    }
}
