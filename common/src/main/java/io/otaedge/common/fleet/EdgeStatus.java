package io.otaedge.common.fleet;

/**
 * One edge's heartbeat: where devices reach it and how loaded it is.
 *
 * @param id             a name unique per running edge process
 * @param address        the public {@code host:port} devices are told to download from
 * @param connections    open client connections
 * @param maxConnections the connection cap, so edges of different sizes compare fairly
 * @param bytesPerSecond file bytes served per second over the last heartbeat period
 * @param at             epoch milliseconds of the heartbeat
 */
public record EdgeStatus(String id, String address, int connections, int maxConnections, long bytesPerSecond, long at) {

    /** Share of the connection cap in use; the first thing "least loaded" compares. */
    public double load() {
        return maxConnections <= 0 ? connections : (double) connections / maxConnections;
    }
}
