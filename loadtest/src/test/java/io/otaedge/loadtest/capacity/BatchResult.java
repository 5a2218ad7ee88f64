package io.otaedge.loadtest.capacity;

import java.util.Map;

/**
 * One isolated batch of the same device operation: what MONITOR saw for the first {@code watched}
 * devices (round trips and the commands inside scripts, by key kind), and what Redis counted for
 * the other {@code measured} devices (commandstats, CPU, memory), less the idle background. An idle
 * window's "operations" are its seconds.
 */
record BatchResult(String name, int watched, Map<String, Long> tally, int measured, RedisStats.Delta delta, boolean idle) {

    double roundTrips() {
        return perWatched("client ");
    }

    double scriptCommands() {
        return perWatched("script ");
    }

    double commands() {
        return measured == 0 ? 0 : (double) delta.totalCalls() / measured;
    }

    double redisCpuMicros() {
        return measured == 0 ? 0 : delta.cpuSeconds() * 1e6 / measured;
    }

    double commandMicros() {
        return measured == 0 ? 0 : (double) delta.totalUsec() / measured;
    }

    double memoryBytes() {
        return measured == 0 ? 0 : (double) delta.memory() / measured;
    }

    private double perWatched(String origin) {
        if (watched == 0) {
            return 0;
        }
        return tally.entrySet().stream().filter(e -> e.getKey().startsWith(origin))
                .mapToLong(Map.Entry::getValue).sum() / (double) watched;
    }
}
