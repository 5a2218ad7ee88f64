package io.otaedge.edge.grant;

import io.otaedge.common.token.TokenGrant;
import io.otaedge.edge.file.BlobFile;
import io.otaedge.edge.wire.EdgeError;

/**
 * What a {@link GrantSource} tells about one request: serve this, or refuse. One per connection (its
 * requests are answered one at a time), so telling it allocates nothing. Every method but
 * {@link #resume} is called on the connection's event loop.
 */
public interface GrantReceiver {

    /**
     * Continues a source's work on the connection's event loop after an asynchronous step (a Redis lookup,
     * a decision, a pull), only while the connection is open. An exception {@code work} throws is answered as
     * a bug of the request (500, or a close once the answer started), never lost. May be called on any thread.
     */
    void resume(Runnable work);

    /** Serves {@code blob}, open and of the size {@code grant} says; takes over the caller's reference. */
    void serve(TokenGrant grant, BlobFile blob);

    /** Refuses with {@code error}, answered in the route's style. */
    void refuse(EdgeError error);

    /** Refuses with the control service's own status ({@code >= 300}) and short text, as LuatOS devices read it. */
    void refuse(int status, String reason);
}
