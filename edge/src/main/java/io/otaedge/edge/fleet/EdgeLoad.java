package io.otaedge.edge.fleet;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * How busy this edge is: open connections and file bytes served. The heartbeat reports it to the
 * edge registry; other readers (metrics) may read it too. Cheap to update from every event loop.
 */
public final class EdgeLoad {

    private final LongAdder bytesServed = new LongAdder();
    private final IntSupplier connections;

    public EdgeLoad(IntSupplier connections) {
        this.connections = connections;
    }

    public void served(long bytes) {
        bytesServed.add(bytes);
    }

    /** File bytes served since start, counted when each response body has been written. */
    public long bytesServed() {
        return bytesServed.sum();
    }

    public int openConnections() {
        return connections.getAsInt();
    }
}
