package io.otaedge.edge.grant;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import io.otaedge.edge.route.Route;

/**
 * Where a download's grant comes from: a download token ({@link TokenGrants}) or the control service's
 * LuatOS decision ({@link LuatosGrants}), picked by the request's route ({@link #byRoute}). Either way the
 * grant's blob is made local first, pulled from the origin when it is missing ({@link GrantedBlobs}), so a
 * receiver is handed a grant it can serve at once, or a refusal.
 */
@FunctionalInterface
public interface GrantSource {

    /**
     * Works out what {@code req}, routed to {@code route}, may download and tells {@code to} exactly once.
     * Called on the event loop of {@code requester} (the device's connection); an answer ready at once is
     * given before this returns, a later one through {@link GrantReceiver#resume}. Bad requests and
     * unreachable services are refusals, never exceptions.
     */
    void find(Route route, HttpRequest req, Channel requester, GrantReceiver to);

    /** LuatOS' route asks {@code luatos} (null: that route is off, never parsed), every other route {@code tokens}. */
    static GrantSource byRoute(GrantSource tokens, GrantSource luatos) {
        if (luatos == null) {
            return tokens;
        }
        return (route, req, requester, to) ->
                (route.kind() == Route.Kind.LUATOS ? luatos : tokens).find(route, req, requester, to);
    }
}
