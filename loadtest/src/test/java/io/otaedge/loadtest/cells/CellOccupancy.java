package io.otaedge.loadtest.cells;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many devices of each NB-IoT cell are downloading at once, as the devices see it, to hold the edges' cell cap
 * to account. A device counts from the answer that admitted it until just before it asks for its last range: the
 * edge takes the slot before that answer and gives it back only after the last range's answer, so every device's
 * counted time lies inside its slot's time, and a count over the cap is a cap broken by the edges, never an
 * artefact of the measurement.
 */
public final class CellOccupancy {

    private final int cap;
    private final Map<String, AtomicInteger> now = new ConcurrentHashMap<>();
    private final AtomicInteger highest = new AtomicInteger();

    public CellOccupancy(int cap) {
        this.cap = cap;
    }

    /** A device of {@code cell} was admitted; false when that puts the cell over the cap. */
    public boolean enter(String cell) {
        int n = now.computeIfAbsent(cell, c -> new AtomicInteger()).incrementAndGet();
        highest.accumulateAndGet(n, Math::max);
        return n <= cap;
    }

    /** A device of {@code cell} is about to ask for its last range. */
    public void leave(String cell) {
        now.get(cell).decrementAndGet();
    }

    /** The most devices of one cell seen downloading at once. */
    public int highest() {
        return highest.get();
    }

    public int cap() {
        return cap;
    }
}
