import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a device arriving at a busy edge sees: fresh 1 KiB range requests, each on a new
 * connection, started at a fixed rate whatever the server's answers take (open loop, so slow
 * answers do not slow the probe down and hide themselves). Prints p50/p99/max and failures.
 * Runs as a single-file program: java FreshProbe.java host port path fileSize ratePerSecond seconds
 */
public final class FreshProbe {

    public static void main(String[] a) throws Exception {
        String host = a[0];
        int port = Integer.parseInt(a[1]);
        String path = a[2];
        long size = Long.parseLong(a[3]);
        int rate = Integer.parseInt(a[4]);
        int seconds = Integer.parseInt(a[5]);
        ConcurrentLinkedQueue<Long> micros = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        var workers = Executors.newFixedThreadPool(64);
        ticks.scheduleAtFixedRate(() -> workers.execute(() -> {
            long first = ThreadLocalRandom.current().nextLong(size - 1024);
            byte[] req = ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nRange: bytes=" + first + "-" + (first + 1023)
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            long t0 = System.nanoTime();
            try (Socket s = new Socket(host, port)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(req);
                InputStream in = s.getInputStream();
                byte[] buf = new byte[4096];
                long got = 0;
                for (int n; (n = in.read(buf)) > 0; ) {
                    got += n;
                }
                if (got < 1024) {
                    failed.incrementAndGet();
                    return;
                }
                micros.add((System.nanoTime() - t0) / 1000);
            } catch (Exception e) {
                failed.incrementAndGet();
            }
        }), 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
        Thread.sleep(seconds * 1000L);
        ticks.shutdownNow();
        workers.shutdown();
        workers.awaitTermination(15, TimeUnit.SECONDS);
        long[] v = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        if (v.length == 0) {
            System.out.printf("PROBE n=0 failed=%d%n", failed.get());
            return;
        }
        System.out.printf("PROBE n=%d failed=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f%n", v.length, failed.get(),
                v[v.length / 2] / 1000.0, v[(int) Math.min(v.length - 1, Math.ceil(v.length * 0.99) - 1)] / 1000.0,
                v[v.length - 1] / 1000.0);
    }
}
