package io.otaedge.control.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The device API's two limits, per control instance: check-like calls per device (keyed by dialect and the
 * dialect's device id) and all calls per source address. Nothing here touches Redis or blocks: a bucket is
 * a few compare-and-set operations on this instance's memory. Refusals are counted as
 * {@code ota_control_rate_limited_total{dialect,scope}}.
 */
public final class DeviceRateLimiter {

    /** Buckets kept per limit; past this the least used are forgotten (they start again full). */
    static final long MAX_KEYS = 100_000;

    /** Null = that limit is off. Replaced whole by {@link #configure} (before the server starts). */
    private volatile KeyedBuckets devices;
    private volatile KeyedBuckets addresses;
    private final MeterRegistry registry;
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();

    public DeviceRateLimiter(RateLimits limits, MeterRegistry registry) {
        this.registry = registry;
        configure(limits);
        counter(DeviceApiLimits.OTHER, Refusal.ADDRESS);
    }

    /** Registers a dialect's refusal counters, so dashboards see zeros from the start rather than gaps. */
    public void register(String dialect) {
        counter(dialect, Refusal.DEVICE);
        counter(dialect, Refusal.ADDRESS);
    }

    /** Applies {@code limits}, with every bucket full. */
    public void configure(RateLimits limits) {
        this.devices = limits.devicePerMinute() == 0 ? null
                : new KeyedBuckets(limits.deviceBurst(), limits.devicePerMinute(), Duration.ofMinutes(1), MAX_KEYS);
        this.addresses = limits.addressPerSecond() == 0 ? null
                : new KeyedBuckets(limits.addressBurst(), limits.addressPerSecond(), Duration.ofSeconds(1), MAX_KEYS);
    }

    /** Null when the address may make one more call (or is unknown, or the limit is off). */
    public Refusal address(String dialect, InetAddress address) {
        KeyedBuckets buckets = addresses;
        if (buckets == null || address == null) {
            return null;
        }
        return refused(dialect, Refusal.ADDRESS, buckets.take(address));
    }

    /** Null when {@code dialect}'s device {@code id} may make one more check-like call (or the limit is off). */
    public Refusal device(String dialect, String id) {
        KeyedBuckets buckets = devices;
        if (buckets == null || id == null || id.isEmpty()) {
            return null;
        }
        return refused(dialect, Refusal.DEVICE, buckets.take(dialect + '\n' + id));
    }

    private Refusal refused(String dialect, String scope, long waitNanos) {
        if (waitNanos == 0) {
            return null;
        }
        counter(dialect, scope).increment();
        return Refusal.after(scope, waitNanos);
    }

    private Counter counter(String dialect, String scope) {
        return refusals.computeIfAbsent(dialect + '/' + scope, k -> Counter.builder("ota.control.rate.limited")
                .description("device-API calls refused by a rate limit").tag("dialect", dialect).tag("scope", scope)
                .register(registry));
    }
}
