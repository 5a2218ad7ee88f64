package io.otaedge.control.http;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The device port's last route: a request no dialect claimed gets the native {@code {"error","message"}} 404 once
 * its unread body is settled. Dialect-neutral on purpose: a path no dialect owns has no dialect to word it.
 */
public final class NotFoundRoute {

    private NotFoundRoute() {
    }

    /** Registers the catch-all; call after every other route (reactor-netty tries routes in order). */
    public static void register(HttpServerRoutes routes) {
        routes.route(request -> true, NotFoundRoute::answer);
    }

    static Publisher<Void> answer(HttpServerRequest request, HttpServerResponse response) {
        return RequestBodies.settleUnread(request, response)
                .then(Mono.from(JsonReply.send(response, 404,
                        JsonReply.error("not_found", "no route " + request.method() + " " + request.path()))));
    }
}
