package io.otaedge.edge.download;

import io.otaedge.common.token.TokenGrant;

/** Told when a response body has been written completely: progress and load accounting listen here. */
@FunctionalInterface
public interface ServedBytesListener {

    ServedBytesListener NONE = (grant, bytes, end) -> {
    };

    /**
     * @param grant the token the bytes were served for
     * @param bytes how many file bytes the body carried
     * @param end   the highest file offset among them, exclusive
     */
    void served(TokenGrant grant, long bytes, long end);
}
