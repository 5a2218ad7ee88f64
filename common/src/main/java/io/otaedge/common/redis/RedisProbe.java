package io.otaedge.common.redis;

import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Readiness evidence for a service that needs Redis: a PING every interval, and the time Redis
 * last answered. A service is "ready" while that answer is recent; nothing blocks, the PING is
 * async and runs on Lettuce's own computation threads.
 */
public final class RedisProbe implements AutoCloseable {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private final RedisAsyncCommands<String, String> redis;
    private final long maxAgeNanos;
    private final ScheduledFuture<?> schedule;
    private volatile long lastAnswerNanos;
    private volatile boolean answered;

    private RedisProbe(RedisAsyncCommands<String, String> redis, ScheduledExecutorService executor, Duration interval) {
        this.redis = redis;
        // Three missed answers in a row make the service unready; one slow PING does not.
        this.maxAgeNanos = interval.toNanos() * 3;
        this.schedule = executor.scheduleAtFixedRate(this::ping, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Starts probing through {@code redis}'s connection, every {@code interval}. */
    public static RedisProbe start(RedisConnector redis, Duration interval) {
        return new RedisProbe(redis.async(), redis.resources().eventExecutorGroup(), interval);
    }

    private void ping() {
        try {
            redis.ping().whenComplete((pong, error) -> {
                if (error == null) {
                    lastAnswerNanos = System.nanoTime();
                    answered = true;
                }
            });
        } catch (RuntimeException e) {
            // rejected while disconnected: the answer simply grows old
        }
    }

    /** True when Redis answered a PING within the last three intervals. */
    public boolean healthy() {
        return answered && System.nanoTime() - lastAnswerNanos < maxAgeNanos;
    }

    @Override
    public void close() {
        schedule.cancel(false);
    }
}
