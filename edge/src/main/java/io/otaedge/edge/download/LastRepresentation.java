package io.otaedge.edge.download;

import io.otaedge.common.token.TokenGrant;

/**
 * A connection's last representation. A device's consecutive range requests on one connection
 * carry the same grant object (the token cache's), so they skip the shared map's key building and
 * hashing; anything else falls through to {@link Representations}.
 */
final class LastRepresentation {

    private TokenGrant grant;
    private long lastModified;
    private Representation representation;

    Representation of(TokenGrant grant, long lastModified) {
        if (grant != this.grant || lastModified != this.lastModified) {
            this.representation = Representations.of(grant, lastModified);
            this.grant = grant;
            this.lastModified = lastModified;
        }
        return representation;
    }
}
