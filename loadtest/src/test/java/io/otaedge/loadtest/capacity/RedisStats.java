package io.otaedge.loadtest.capacity;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What Redis itself counted at one moment, summed over the masters: calls and microseconds per
 * command ({@code INFO commandstats}, which counts the commands a Lua script runs as well as the
 * script call), the server's CPU seconds ({@code INFO cpu}: user + system, network I/O included)
 * {@code used_memory}, and the bytes Redis read and wrote ({@code INFO stats}) less the probe's own. Two
 * snapshots give what happened in between.
 */
record RedisStats(Map<String, Long> calls, Map<String, Long> usec, double cpuSeconds, long usedMemory, long netIn,
                  long netOut, long nanos) {

    /** Commands the probe itself sends while measuring; they are left out of every delta. */
    static final Set<String> OWN = Set.of("info", "monitor", "cluster");

    static RedisStats take(RedisTopology redis) {
        Map<String, Long> calls = new TreeMap<>();
        Map<String, Long> usec = new TreeMap<>();
        double cpu = 0;
        long memory = 0;
        long netIn = 0;
        long netOut = 0;
        for (Resp r : redis.masters()) {
            for (Map.Entry<String, String> e : Info.parse(r.text("INFO", "commandstats")).entrySet()) {
                String cmd = e.getKey().substring("cmdstat_".length());
                calls.merge(cmd, (long) Info.field(e.getValue(), "calls"), Long::sum);
                usec.merge(cmd, (long) Info.field(e.getValue(), "usec"), Long::sum);
            }
            Map<String, String> cpuInfo = Info.parse(r.text("INFO", "cpu"));
            cpu += Double.parseDouble(cpuInfo.get("used_cpu_user")) + Double.parseDouble(cpuInfo.get("used_cpu_sys"));
            memory += Long.parseLong(Info.parse(r.text("INFO", "memory")).get("used_memory"));
            Map<String, String> stats = Info.parse(r.text("INFO", "stats"));
            // What the probe sent Redis is Redis' input, what it read Redis' output.
            netIn += Long.parseLong(stats.get("total_net_input_bytes")) - r.bytesSent();
            netOut += Long.parseLong(stats.get("total_net_output_bytes")) - r.bytesReceived();
        }
        return new RedisStats(calls, usec, cpu, memory, netIn, netOut, System.nanoTime());
    }

    /** What happened from {@code before} to this snapshot, the probe's own commands left out. */
    Delta since(RedisStats before) {
        Map<String, Long> c = new TreeMap<>();
        Map<String, Long> u = new TreeMap<>();
        calls.forEach((cmd, n) -> {
            long d = n - before.calls.getOrDefault(cmd, 0L);
            if (d > 0 && !OWN.contains(cmd)) {
                c.put(cmd, d);
                u.put(cmd, usec.get(cmd) - before.usec.getOrDefault(cmd, 0L));
            }
        });
        // The probe's own INFO calls cost Redis CPU too; their command time is taken out (their I/O is not).
        double ownSeconds = 0;
        for (String cmd : OWN) {
            ownSeconds += (usec.getOrDefault(cmd, 0L) - before.usec.getOrDefault(cmd, 0L)) / 1e6;
        }
        return new Delta(c, u, cpuSeconds - before.cpuSeconds - ownSeconds, usedMemory - before.usedMemory,
                netIn - before.netIn, netOut - before.netOut, (nanos - before.nanos) / 1e9);
    }

    /** Calls and microseconds per command, Redis CPU seconds, memory growth and network bytes over {@code seconds}. */
    record Delta(Map<String, Long> calls, Map<String, Long> usec, double cpuSeconds, long memory, long netIn, long netOut,
                 double seconds) {

        long totalCalls() {
            return calls.values().stream().mapToLong(Long::longValue).sum();
        }

        long totalUsec() {
            return usec.values().stream().mapToLong(Long::longValue).sum();
        }

        /** This delta without {@code bytes} of Redis output that went to the probe's MONITOR. */
        Delta lessOutput(long bytes) {
            return new Delta(calls, usec, cpuSeconds, memory, netIn, netOut - bytes, seconds);
        }

        /** This delta less what {@code background} (an idle window) would have added in as long. */
        Delta less(Delta background) {
            double scale = background.seconds <= 0 ? 0 : seconds / background.seconds;
            Map<String, Long> c = new TreeMap<>();
            Map<String, Long> u = new TreeMap<>();
            calls.forEach((cmd, n) -> {
                long expected = Math.round(background.calls.getOrDefault(cmd, 0L) * scale);
                long left = n - expected;
                if (left > 0) {
                    c.put(cmd, left);
                    u.put(cmd, Math.max(0, usec.get(cmd) - Math.round(background.usec.getOrDefault(cmd, 0L) * scale)));
                }
            });
            return new Delta(c, u, Math.max(0, cpuSeconds - background.cpuSeconds * scale), memory,
                    netIn - Math.round(background.netIn * scale), netOut - Math.round(background.netOut * scale), seconds);
        }
    }
}
