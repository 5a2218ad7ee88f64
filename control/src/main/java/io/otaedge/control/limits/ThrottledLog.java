package io.otaedge.control.limits;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * At most one log line per kind per interval, naming how many like it were left out since the last. A client
 * can cause lines at the rate it sends requests; this bounds what that costs (the kinds are a fixed few).
 */
public final class ThrottledLog {

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    /** The usual interval: at most one line per kind this often. */
    public static final Duration INTERVAL = Duration.ofSeconds(10);

    public ThrottledLog(Logger log, Duration interval) {
        this(log, interval, System::nanoTime);
    }

    ThrottledLog(Logger log, Duration interval, LongSupplier nanoTime) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    private static final class Window {
        final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong suppressed = new AtomicLong();
    }

    /** A client's mistake: one short line, no stack trace. */
    public void clientMistake(String kind, String message) {
        long left = admit(kind);
        if (left >= 0) {
            log.info("{}{}", message, suffix(left));
        }
    }

    /** A server fault: the line keeps its stack trace, throttled like the rest. */
    public void serverError(String kind, String message, Throwable cause) {
        long left = admit(kind);
        if (left >= 0) {
            log.error("{}{}", message, suffix(left), cause);
        }
    }

    /**
     * A request the server could not complete (a store outage, a bug) and answered in the caller's own words:
     * the line keeps its stack trace, at WARN since the caller got its answer.
     */
    public void warning(String kind, String message, Throwable cause) {
        long left = admit(kind);
        if (left >= 0) {
            log.warn("{}{}", message, suffix(left), cause);
        }
    }

    /** How many were left out before this one, or -1 when this one is left out too. */
    private long admit(String kind) {
        Window w = windows.computeIfAbsent(kind, k -> new Window());
        long now = nanoTime.getAsLong();
        long next = w.next.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && w.next.compareAndSet(next, now + intervalNanos)) {
            return w.suppressed.getAndSet(0);
        }
        w.suppressed.incrementAndGet();
        return -1;
    }

    private String suffix(long left) {
        return left == 0 ? "" : " (and " + left + " more like this since the last such line, not logged)";
    }
}
