package io.otaedge.loadtest.cells;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The offers a task's rollout rate let through, per clock minute, to hold the rate to account. Control enrols a device
 * at some moment between the check's sending and its answer's arrival; an offer whose check was sent and answered in
 * the same clock minute is surely in that minute, and only those are counted against the rate (an offer whose check
 * straddled a minute's end is counted apart). A minute with more sure offers than the rate is a rate broken by
 * control, never an artefact of the measurement.
 */
public final class OfferLedger {

    private final int perMinute;
    private final Map<Long, AtomicInteger> sure = new ConcurrentHashMap<>();
    private final AtomicInteger straddling = new AtomicInteger();
    private final AtomicInteger highest = new AtomicInteger();

    public OfferLedger(int perMinute) {
        this.perMinute = perMinute;
    }

    /** An offer to a check sent at {@code sentMillis} and answered at {@code answeredMillis}; false when over the rate. */
    public boolean offered(long sentMillis, long answeredMillis) {
        long minute = sentMillis / 60_000;
        if (answeredMillis / 60_000 != minute) {
            straddling.incrementAndGet();
            return true;
        }
        int n = sure.computeIfAbsent(minute, m -> new AtomicInteger()).incrementAndGet();
        highest.accumulateAndGet(n, Math::max);
        return n <= perMinute;
    }

    /** The most offers surely made in one clock minute. */
    public int highest() {
        return highest.get();
    }

    /** Offers whose check straddled a minute's end. */
    public int straddling() {
        return straddling.get();
    }

    /** Sure offers per minute, oldest first, e.g. {@code [120, 120, 60]}. */
    public String perMinute() {
        return new java.util.TreeMap<>(sure).values().toString();
    }
}
