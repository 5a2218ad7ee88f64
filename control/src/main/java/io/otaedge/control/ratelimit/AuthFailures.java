package io.otaedge.control.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wrong admin keys and internal secrets, per source address: each one takes a token from the address's
 * bucket ({@code OTA_ADMIN_AUTH_FAILURES} per {@code OTA_ADMIN_AUTH_WINDOW}); an address with none left is
 * refused before its key is looked at, so guessing goes no faster than the limit. Counted in
 * {@code ota_control_admin_auth_failures_total{endpoint}} and {@code ota_control_admin_auth_throttled_total};
 * logged one line per address that reaches the limit, and otherwise at most one line per {@link #LOG_INTERVAL}.
 */
public final class AuthFailures {

    private static final Logger log = LoggerFactory.getLogger(AuthFailures.class);
    static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
    static final long MAX_ADDRESSES = 100_000;

    private volatile KeyedBuckets buckets;
    private volatile RateLimits limits;
    private final Counter adminFailures;
    private final Counter internalFailures;
    private final Counter throttled;
    private final AtomicLong nextLog = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong unlogged = new AtomicLong();

    public AuthFailures(RateLimits limits, MeterRegistry registry) {
        configure(limits);
        adminFailures = failures(registry, "admin");
        internalFailures = failures(registry, "internal");
        throttled = Counter.builder("ota.control.admin.auth.throttled")
                .description("admin-port requests refused with 429 after too many failed authentications from their address")
                .register(registry);
    }

    private static Counter failures(MeterRegistry registry, String endpoint) {
        return Counter.builder("ota.control.admin.auth.failures").description("admin-port requests with a missing or wrong key")
                .tag("endpoint", endpoint).register(registry);
    }

    public void configure(RateLimits limits) {
        this.limits = limits;
        this.buckets = limits.adminFailures() == 0 ? null
                : new KeyedBuckets(limits.adminFailures(), limits.adminFailures(), limits.adminFailureWindow(), MAX_ADDRESSES);
    }

    /** Null when {@code address} may try; else how long it must wait. */
    public Refusal locked(InetAddress address) {
        KeyedBuckets b = buckets;
        if (b == null || address == null) {
            return null;
        }
        long wait = b.waitFor(address);
        if (wait == 0) {
            return null;
        }
        throttled.increment();
        return Refusal.after(Refusal.ADDRESS, wait);
    }

    /** Records one failed authentication from {@code address} on {@code path}; {@code internal} = the internal secret. */
    public void failed(InetAddress address, boolean internal, String path) {
        failed(address, internal, path, null);
    }

    /** As above; {@code keyId} is the id of the API key that was presented (its secret is never logged), or null. */
    public void failed(InetAddress address, boolean internal, String path, String keyId) {
        (internal ? internalFailures : adminFailures).increment();
        KeyedBuckets b = buckets;
        String who = address == null ? "an unknown address" : address.getHostAddress();
        String what = internal ? "internal secret" : "admin key";
        if (b != null && address != null) {
            b.take(address);
            long wait = b.waitFor(address);
            if (wait > 0) {
                RateLimits l = limits;
                log.warn("{} wrong {}s from {} within {}: refusing it with 429 for {} s", l.adminFailures(), what, who,
                        l.adminFailureWindow(), Refusal.after(Refusal.ADDRESS, wait).retryAfterSeconds());
                return;
            }
        }
        if (allowLog()) {
            long more = unlogged.getAndSet(0);
            log.warn("wrong or missing {}{} from {} on {}{}", what, keyId == null ? "" : " (API key id " + keyId + ")", who, path,
                    more == 0 ? "" : " (" + more + " more failed authentications since the last line)");
        } else {
            unlogged.incrementAndGet();
        }
    }

    private boolean allowLog() {
        long now = System.nanoTime();
        long next = nextLog.get();
        return (next == Long.MIN_VALUE || now - next >= 0) && nextLog.compareAndSet(next, now + LOG_INTERVAL.toNanos());
    }
}
