package io.otaedge.edge.pipeline;

/** Which of a connection's timeouts passed; fired down the pipeline by {@link ConnectionTimeouts}. */
public enum ConnectionTimeout {
    /** No request in progress and nothing received. */
    IDLE,
    /** A request that started arriving did not complete. */
    READ,
    /** A response's bytes stopped leaving. */
    WRITE
}
