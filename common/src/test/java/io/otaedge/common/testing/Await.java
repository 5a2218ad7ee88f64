package io.otaedge.common.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes; tests wait on conditions, never on sleeps. */
public final class Await {

    private Await() {
    }

    /** Waits until {@code value} supplies something {@code done} accepts, and returns it; fails with the last value. */
    public static <T> T until(Duration timeout, Supplier<T> value, java.util.function.Predicate<T> done, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = value.get();
        while (!done.test(last)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last: " + last);
            }
            LockSupport.parkNanos(20_000_000);
            last = value.get();
        }
        return last;
    }

    public static void until(Duration timeout, java.util.function.BooleanSupplier condition, String what) {
        until(timeout, condition::getAsBoolean, Boolean::booleanValue, what);
    }
}
