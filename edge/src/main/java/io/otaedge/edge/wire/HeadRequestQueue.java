package io.otaedge.edge.wire;

/**
 * Which of a connection's unanswered requests were HEAD, oldest first: a bounded FIFO of
 * {@value #CAPACITY} bits in two longs, so that keeping it costs a connection no allocation.
 */
final class HeadRequestQueue {

    static final int CAPACITY = 128;

    private long low;
    private long high;
    private int first;
    private int size;

    boolean isFull() {
        return size == CAPACITY;
    }

    int size() {
        return size;
    }

    /** Appends the next request; the caller checks {@link #isFull()} first. */
    void add(boolean head) {
        if (size == CAPACITY) {
            throw new IllegalStateException("more than " + CAPACITY + " unanswered requests");
        }
        int at = (first + size) & (CAPACITY - 1);
        long bit = 1L << (at & 63);
        if (at < 64) {
            low = head ? low | bit : low & ~bit;
        } else {
            high = head ? high | bit : high & ~bit;
        }
        size++;
    }

    /** Removes the oldest request and tells whether it was HEAD; false when none is waiting. */
    boolean poll() {
        if (size == 0) {
            return false;
        }
        long word = first < 64 ? low : high;
        boolean head = (word >>> (first & 63) & 1) != 0;
        first = (first + 1) & (CAPACITY - 1);
        size--;
        return head;
    }
}
