package io.otaedge.edge.admin;

import io.otaedge.common.config.Settings;

/**
 * Where the edge's admin listener ({@code /metrics}, {@code /health/live}, {@code /health/ready})
 * binds: {@code OTA_EDGE_ADMIN_BIND} (default 0.0.0.0) and {@code OTA_EDGE_ADMIN_PORT} (default
 * 9080 for the edge alone; the standalone passes its own default; 0 = any free port).
 */
public record AdminConfig(String bind, int port) {

    public static final int DEFAULT_PORT = 9080;

    public static AdminConfig from(Settings s, int defaultPort) {
        return new AdminConfig(s.string("OTA_EDGE_ADMIN_BIND", "0.0.0.0"), s.port("OTA_EDGE_ADMIN_PORT", defaultPort));
    }
}
