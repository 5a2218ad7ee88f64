package io.otaedge.control.admin;

import io.otaedge.common.fleet.EdgeRegistry;
import io.otaedge.common.fleet.EdgeStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * {@code GET /admin/v1/edges}: the live edges as their last heartbeats in the registry say (the same read that sends
 * devices to the least-loaded edge), by id. Read only: an edge whose heartbeat expired is simply absent.
 */
public final class EdgeAdmin {

    private final EdgeRegistry registry;

    public EdgeAdmin(EdgeRegistry registry) {
        this.registry = registry;
    }

    Mono<AdminReply> list(HttpServerRequest request) {
        return Mono.fromCompletionStage(registry::live).map(edges -> AdminReply.ok(Map.of("edges", edges.stream()
                .sorted(Comparator.comparing(EdgeStatus::id))
                .map(EdgeAdmin::row)
                .toList())));
    }

    private static Map<String, Object> row(EdgeStatus e) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", e.id());
        row.put("address", e.address());
        row.put("connections", e.connections());
        row.put("maxConnections", e.maxConnections());
        row.put("load", e.load());
        row.put("bytesPerSecond", e.bytesPerSecond());
        row.put("heartbeatAt", Instant.ofEpochMilli(e.at()).toString());
        return row;
    }
}
