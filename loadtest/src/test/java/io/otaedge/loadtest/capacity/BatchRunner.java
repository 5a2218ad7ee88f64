package io.otaedge.loadtest.capacity;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs one device operation for a range of devices on a few threads and returns when every one has
 * answered; the first failure stops the batch and is thrown, since a figure over failed requests
 * would count the wrong work.
 */
final class BatchRunner implements AutoCloseable {

    private final ExecutorService pool;
    private final int threads;

    BatchRunner(int threads) {
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "capacity-device");
            t.setDaemon(true);
            return t;
        });
    }

    /** {@code op} for devices {@code from} (inclusive) to {@code to} (exclusive). */
    void run(int from, int to, IntConsumer op) throws InterruptedException {
        AtomicInteger next = new AtomicInteger(from);
        List<Future<?>> workers = new ArrayList<>(threads);
        for (int i = 0; i < Math.min(threads, to - from); i++) {
            workers.add(pool.submit(() -> {
                int n;
                while ((n = next.getAndIncrement()) < to) {
                    op.accept(n);
                }
            }));
        }
        try {
            for (Future<?> w : workers) {
                w.get();
            }
        } catch (ExecutionException e) {
            next.set(to); // the other workers stop after their current device
            throw new IllegalStateException("a device's call failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
