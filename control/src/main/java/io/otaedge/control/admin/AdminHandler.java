package io.otaedge.control.admin;

import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/** One admin endpoint: request in, reply (or an {@link io.otaedge.control.http.ApiException}) out. */
@FunctionalInterface
public interface AdminHandler {
    Mono<AdminReply> handle(HttpServerRequest request);
}
