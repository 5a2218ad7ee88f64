package io.otaedge.edge.download;

import io.otaedge.common.token.TokenGrant;
import java.util.List;
import io.otaedge.edge.range.ByteRange;

/**
 * The file bytes of the response being written on a connection, told to the
 * {@link ServedBytesListener} once its last write succeeded. One per connection and reused, since a
 * connection writes one response at a time: the handler's own completion listener reports it, so
 * progress accounting adds no listener and no allocation per response.
 */
final class ServedBody {

    private TokenGrant grant;
    private long bytes;
    private long end;

    /** The response carries {@code parts} of {@code grant}'s file. */
    void set(TokenGrant grant, List<ByteRange> parts) {
        long sum = 0;
        long last = 0;
        for (ByteRange r : parts) {
            sum += r.length();
            last = Math.max(last, r.last() + 1);
        }
        set(grant, sum, last);
    }

    /** The response carries {@code range} of {@code grant}'s file. */
    void set(TokenGrant grant, ByteRange range) {
        set(grant, range.length(), range.last() + 1);
    }

    private void set(TokenGrant grant, long bytes, long end) {
        this.grant = grant;
        this.bytes = bytes;
        this.end = end;
    }

    /** Forgets a body noted for a response that never finished (its writing failed before). */
    void clear() {
        grant = null;
    }

    /** A body was noted for the response being written. */
    boolean noted() {
        return grant != null;
    }

    /** The noted body reaches the file's last byte. */
    boolean reachesEnd() {
        return grant != null && end >= grant.size();
    }

    /** Tells {@code listener} when a body was noted and its write succeeded; forgets it either way. */
    void report(boolean written, ServedBytesListener listener) {
        TokenGrant g = grant;
        if (g == null) {
            return;
        }
        grant = null;
        if (written) {
            listener.served(g, bytes, end);
        }
    }
}
