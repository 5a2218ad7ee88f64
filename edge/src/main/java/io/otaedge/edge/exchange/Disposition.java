package io.otaedge.edge.exchange;

/** What happens to the connection after a response; decided per exchange by the keep-alive handler. */
public enum Disposition {
    KEEP_ALIVE, KEEP_ALIVE_1_0, CLOSE;

    public boolean keepAlive() {
        return this != CLOSE;
    }
}
