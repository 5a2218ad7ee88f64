package io.otaedge.edge.download;

/** Told by the download handler where a connection is in its request/response cycle. */
public interface ExchangeListener {

    ExchangeListener NONE = new ExchangeListener() {
    };

    /** A request has been received completely (head and any body). */
    default void requestComplete() {
    }

    /** The handler started working on a request. */
    default void responseStarted() {
    }

    /** The response has been written and no other request is waiting. */
    default void responseDone() {
    }
}
