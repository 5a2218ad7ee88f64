package io.otaedge.edge.http;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** At most one log line per interval for a failure that can repeat thousands of times a second. */
final class LogThrottle {

    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);

    LogThrottle(long interval, TimeUnit unit) {
        this.intervalNanos = unit.toNanos(interval);
    }

    boolean allow() {
        long now = System.nanoTime();
        long n = next.get();
        return (n == Long.MIN_VALUE || now - n >= 0) && next.compareAndSet(n, now + intervalNanos);
    }
}
