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

    /**
     * Time inside Redis per operation, each command counted once: commandstats times a script call
     * whole (its commands included) and again each command it ran, so every command's time is
     * scaled by the share of its calls the services sent themselves (MONITOR's split of the same
     * operation). Without a MONITOR tally (idle rows), all calls count as sent.
     */
    double commandMicros() {
        if (measured == 0) {
            return 0;
        }
        double usec = 0;
        for (Map.Entry<String, Long> e : delta.usec().entrySet()) {
            String cmd = e.getKey().toUpperCase(java.util.Locale.ROOT);
            long sent = count("client " + cmd);
            long inScripts = count("script " + cmd);
            usec += sent + inScripts == 0 ? e.getValue() : e.getValue() * (double) sent / (sent + inScripts);
        }
        return usec / measured;
    }

    /** MONITOR's calls of one command from one origin ({@code "client GET"}), whatever keys they named. */
    private long count(String originAndCommand) {
        return tally.entrySet().stream()
                .filter(e -> e.getKey().equals(originAndCommand) || e.getKey().startsWith(originAndCommand + " "))
                .mapToLong(Map.Entry::getValue).sum();
    }

    double netInBytes() {
        return measured == 0 ? 0 : (double) delta.netIn() / measured;
    }

    double netOutBytes() {
        return measured == 0 ? 0 : (double) delta.netOut() / measured;
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
