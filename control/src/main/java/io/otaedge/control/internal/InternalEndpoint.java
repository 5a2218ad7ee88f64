package io.otaedge.control.internal;

import io.otaedge.control.limits.GateReplies;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A {@code GET} endpoint under {@code /internal/} that a dialect offers the edge (LuatOS' decision). The
 * handler runs only after {@link InternalRoutes} checked the internal secret; {@code gateReplies} words what the
 * admin port's gate refuses on this path before routing.
 */
public record InternalEndpoint(String path, BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler,
                               GateReplies gateReplies) {

    public InternalEndpoint {
        if (!path.startsWith("/internal/")) {
            throw new IllegalArgumentException("an internal endpoint lives under /internal/: " + path);
        }
    }
}
