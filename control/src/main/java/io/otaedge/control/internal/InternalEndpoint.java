package io.otaedge.control.internal;

import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A {@code GET} endpoint under {@code /internal/} that a dialect offers the edge (LuatOS' decision). The
 * handler runs only after {@link InternalRoutes} checked the internal secret.
 */
public record InternalEndpoint(String path, BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {

    public InternalEndpoint {
        if (!path.startsWith("/internal/")) {
            throw new IllegalArgumentException("an internal endpoint lives under /internal/: " + path);
        }
    }
}
