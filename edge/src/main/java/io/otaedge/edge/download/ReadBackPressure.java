package io.otaedge.edge.download;

import io.netty.channel.Channel;
import io.otaedge.edge.exchange.Exchanges;

/**
 * Pipelined requests are bounded: the socket stops being read once {@value #MAX_QUEUED} requests wait for their
 * answers, and is read again when half of them have been answered.
 */
final class ReadBackPressure {

    /** Pipelined requests buffered before the handler stops reading from the socket. */
    static final int MAX_QUEUED = 16;

    private ReadBackPressure() {
    }

    /** On a request's arrival. */
    static void pauseIfFull(Channel ch, Exchanges exchanges) {
        if (exchanges.size() >= MAX_QUEUED) {
            ch.config().setAutoRead(false);
        }
    }

    /** Before taking the next request to answer. */
    static void resumeIfDrained(Channel ch, Exchanges exchanges) {
        if (!ch.config().isAutoRead() && exchanges.size() < MAX_QUEUED / 2) {
            ch.config().setAutoRead(true);
        }
    }
}
