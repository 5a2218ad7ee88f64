package io.otaedge.edge.logging;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one log line per interval for a failure that can repeat thousands of times a second
 * (a client's doing, or an outage every request runs into): the first one is logged whole, with
 * its stack trace, and the repeats within the interval are dropped.
 */
public final class LogThrottle {

    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);

    public LogThrottle(long interval, TimeUnit unit) {
        this.intervalNanos = unit.toNanos(interval);
    }

    /** True for the first caller of each interval: that one logs. */
    public boolean allow() {
        long now = System.nanoTime();
        long n = next.get();
        return (n == Long.MIN_VALUE || now - n >= 0) && next.compareAndSet(n, now + intervalNanos);
    }
}
