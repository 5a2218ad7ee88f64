package io.otaedge.control.metrics;

import io.otaedge.common.metrics.ServiceMetrics;
import io.otaedge.control.http.RequestBodies;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * {@code GET /metrics}, {@code /health/live} and {@code /health/ready} on the admin port. They
 * take no bearer key: Prometheus and orchestrator probes scrape them, and they reveal no
 * catalogue data. They are registered ahead of the admin API's catch-all.
 */
public final class HealthRoutes {

    private final ServiceMetrics metrics;
    private final BooleanSupplier ready;

    /** {@code ready} answers /health/ready; it must be cheap and must not block. */
    public HealthRoutes(ServiceMetrics metrics, BooleanSupplier ready) {
        this.metrics = metrics;
        this.ready = ready;
    }

    public void register(HttpServerRoutes routes) {
        routes.get("/metrics", (request, response) -> RequestBodies.settleUnread(request, response)
                        // Serialising every meter is CPU work with locks inside: keep it off the event loop.
                        .then(Mono.fromCallable(metrics::scrape).subscribeOn(Schedulers.boundedElastic()))
                        .flatMap(body -> send(response, 200, ServiceMetrics.CONTENT_TYPE, body)))
                .get("/health/live", (request, response) -> RequestBodies.settleUnread(request, response)
                        .then(text(response, 200, "live\n")))
                .get("/health/ready", (request, response) -> RequestBodies.settleUnread(request, response)
                        .then(Mono.defer(() -> ready.getAsBoolean() ? text(response, 200, "ready\n")
                                : text(response, 503, "not ready\n"))));
    }

    private static Mono<Void> text(HttpServerResponse response, int status, String body) {
        return send(response, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static Mono<Void> send(HttpServerResponse response, int status, String type, byte[] body) {
        return response.status(status)
                .header("Content-Type", type)
                .header("Content-Length", Integer.toString(body.length))
                .header("Cache-Control", "no-store")
                .sendByteArray(Mono.just(body))
                .then();
    }
}
