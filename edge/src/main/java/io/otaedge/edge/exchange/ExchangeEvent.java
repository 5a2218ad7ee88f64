package io.otaedge.edge.exchange;

import io.netty.channel.Channel;

/**
 * Where a connection is in its request/response cycle, announced as pipeline user events from the
 * head of the pipeline so that every handler hears them (the timeouts sit before the codec), the way
 * {@code IdleStateHandler}'s consumers hear {@code IdleStateEvent}s. Singletons: announcing costs no
 * allocation.
 */
public enum ExchangeEvent {
    /** A request has been received to its end (head and any body). Fired by the codec. */
    REQUEST_RECEIVED,
    /** Work on the oldest request's answer started ({@link Exchanges#oldest()}). Fired by the answering handler. */
    STARTED,
    /** That answer's last write completed. Fired by the answering handler. */
    ENDED,
    /** The server is shutting down: close when idle, else after the answer in progress. Fired by the server. */
    DRAIN;

    /** Announces this event to every handler of {@code ch}'s pipeline. */
    public void announce(Channel ch) {
        ch.pipeline().fireUserEventTriggered(this);
    }
}
