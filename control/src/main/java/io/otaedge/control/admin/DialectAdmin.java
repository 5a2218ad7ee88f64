package io.otaedge.control.admin;

import java.util.function.BiFunction;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * A dialect's operator endpoints, plugged into {@link AdminRoutes#with}. {@code reading} wraps a handler
 * that reads the body itself, {@code secured} one that does not; both check the admin key first.
 */
public interface DialectAdmin {

    void register(HttpServerRoutes routes, Guard reading, Guard secured);

    /** Wraps an admin handler with the key check and the JSON error mapping. */
    interface Guard extends Function<AdminHandler, BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>>> {
    }
}
