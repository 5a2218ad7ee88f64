package io.otaedge.control.admin;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import reactor.netty.http.server.HttpServerRequest;

/**
 * The admin caller's address as the port's gate judged it ({@code TrustedProxies}: behind a trusted load balancer,
 * the right-most untrusted {@code X-Forwarded-For} hop), carried in the Reactor context to the audit trail.
 */
record ClientAddress(String text) {

    static final ClientAddress UNKNOWN = new ClientAddress("unknown");

    static ClientAddress of(InetAddress address) {
        return address == null ? UNKNOWN : new ClientAddress(address.getHostAddress());
    }

    /** The socket's peer: for routes served without the gate in front. */
    static ClientAddress peer(HttpServerRequest request) {
        InetSocketAddress remote = request.remoteAddress();
        return remote == null ? UNKNOWN : of(remote.getAddress());
    }
}
