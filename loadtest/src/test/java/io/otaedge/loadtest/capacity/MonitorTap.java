package io.otaedge.loadtest.capacity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code MONITOR} on every master for a short window: which commands the services sent
 * (round trips) and which ones their Lua scripts ran, each with the kind of the key it named,
 * e.g. {@code client EVALSHA ota:{p:<p>}:dev:<dev>} or {@code script HSET ota:{p:<p>}:dev:<dev>}.
 * INFO commandstats counts both kinds together; only MONITOR tells them apart. MONITOR slows Redis,
 * so it watches a small sub-batch and never the one whose CPU is measured.
 */
final class MonitorTap implements AutoCloseable {

    private static final AtomicInteger MARKS = new AtomicInteger();

    private final RedisTopology redis;
    private final KeyShapes shapes;
    private final Set<String> ignored;
    private final List<Resp> taps = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final Map<String, Long> tally = new TreeMap<>();
    private volatile String mark;
    private volatile CountDownLatch marked;

    private MonitorTap(RedisTopology redis, KeyShapes shapes) {
        this.redis = redis;
        this.shapes = shapes;
        this.ignored = redis.ownAddresses();
    }

    static MonitorTap start(RedisTopology redis, KeyShapes shapes) {
        MonitorTap tap = new MonitorTap(redis, shapes);
        for (Resp master : redis.masters()) {
            Resp r = Resp.open(master.node);
            r.call("MONITOR");
            tap.taps.add(r);
            Thread t = new Thread(() -> tap.read(r), "capacity-monitor-" + master.node);
            t.setDaemon(true);
            t.start();
            tap.readers.add(t);
        }
        return tap;
    }

    /**
     * Everything seen until now: sends a marker ({@code ECHO}) to every master and waits until each
     * tap has read it, so no line of the batch is still in flight; then returns the tally.
     */
    Map<String, Long> drain() throws InterruptedException {
        mark = "capacity-mark-" + MARKS.incrementAndGet();
        marked = new CountDownLatch(taps.size());
        for (Resp master : redis.masters()) {
            master.call("ECHO", mark);
        }
        if (!marked.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("MONITOR did not show the marker within 30 s");
        }
        synchronized (tally) {
            return new TreeMap<>(tally);
        }
    }

    /** Bytes the MONITOR streams carried: Redis output that is the tap's, not the services'. */
    long bytesReceived() {
        return taps.stream().mapToLong(Resp::bytesReceived).sum();
    }

    private void read(Resp r) {
        try {
            while (true) {
                Object line = r.read();
                if (line instanceof String s) {
                    record(s);
                }
            }
        } catch (RuntimeException closed) {
            // the tap was closed
        }
    }

    private void record(String line) {
        int open = line.indexOf('[');
        int close = line.indexOf(']', open);
        if (open < 0 || close < 0) {
            return;
        }
        String client = line.substring(open + 1, close);
        client = client.substring(client.indexOf(' ') + 1);
        List<String> args = quoted(line.substring(close + 1));
        if (args.isEmpty()) {
            return;
        }
        String cmd = args.get(0).toUpperCase(java.util.Locale.ROOT);
        if (ignored.contains(client)) {
            if (cmd.equals("ECHO") && args.size() > 1 && args.get(1).equals(mark)) {
                marked.countDown();
            }
            return;
        }
        String origin = client.equals("lua") ? "script" : "client";
        String entry = origin + " " + cmd + keys(cmd, args);
        synchronized (tally) {
            tally.merge(entry, 1L, Long::sum);
        }
    }

    /** The kinds of the keys a command names: the declared KEYS of a script, else its first argument. */
    private String keys(String cmd, List<String> args) {
        if (cmd.equals("EVAL") || cmd.equals("EVALSHA")) {
            int n = args.size() > 2 ? Integer.parseInt(args.get(2)) : 0;
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < n && 3 + i < args.size(); i++) {
                b.append(i == 0 ? " " : ", ").append(shapes.shape(args.get(3 + i)));
            }
            return b.toString();
        }
        if (cmd.equals("MGET") || cmd.equals("DEL") || cmd.equals("EXISTS")) {
            return " " + shapes.shape(args.get(1)) + (args.size() > 2 ? " (+" + (args.size() - 2) + " keys)" : "");
        }
        if (args.size() < 2 || cmd.equals("PING") || cmd.equals("ECHO") || cmd.equals("SCRIPT")) {
            return "";
        }
        return " " + shapes.shape(args.get(1));
    }

    /** The double-quoted, backslash-escaped arguments of a MONITOR line. */
    static List<String> quoted(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while ((i = s.indexOf('"', i)) >= 0) {
            StringBuilder b = new StringBuilder();
            i++;
            while (i < s.length() && s.charAt(i) != '"') {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    char n = s.charAt(i + 1);
                    if (n == 'x' && i + 3 < s.length()) {
                        b.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
                        i += 4;
                        continue;
                    }
                    b.append(switch (n) {
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 't' -> '\t';
                        default -> n;
                    });
                    i += 2;
                    continue;
                }
                b.append(c);
                i++;
            }
            out.add(b.toString());
            i++;
        }
        return out;
    }

    @Override
    public void close() {
        taps.forEach(Resp::close);
    }
}
