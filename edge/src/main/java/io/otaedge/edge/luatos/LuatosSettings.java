package io.otaedge.edge.luatos;

import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import java.net.URI;
import java.time.Duration;

/**
 * The edge's LuatOS route: on when both {@code OTA_EDGE_CONTROL_URL} (the control service's operator
 * port, e.g. {@code http://control:8082}; default {@code OTA_EDGE_ORIGIN_URL}) and {@code OTA_INTERNAL_SECRET} are set.
 *
 * @param path    the path devices are configured with ({@code OTA_EDGE_LUATOS_PATH}, default {@code /api/site/firmware_upgrade})
 * @param timeout how long a decision may take before the device gets a 503 ({@code OTA_EDGE_DECISION_TIMEOUT}, PT5S)
 */
public record LuatosSettings(String path, URI controlUrl, String secret, Duration timeout) {

    public static LuatosSettings from(Settings s) {
        String path = s.string("OTA_EDGE_LUATOS_PATH", "/api/site/firmware_upgrade");
        if (!path.startsWith("/")) {
            throw new ConfigException("OTA_EDGE_LUATOS_PATH", path, "a path starting with /");
        }
        // The blob origin (OTA_EDGE_ORIGIN_URL) is the same control operator port, so it is the fallback.
        URI url = s.get("OTA_EDGE_CONTROL_URL").or(() -> s.get("OTA_EDGE_ORIGIN_URL")).map(URI::create).orElse(null);
        if (url != null && (url.getHost() == null || !"http".equals(url.getScheme()))) {
            throw new ConfigException("OTA_EDGE_CONTROL_URL", url.toString(), "an http://host:port URL");
        }
        return new LuatosSettings(path, url, s.get("OTA_INTERNAL_SECRET").filter(v -> !v.isBlank()).orElse(null),
                s.duration("OTA_EDGE_DECISION_TIMEOUT", Duration.ofSeconds(5)));
    }

    public boolean enabled() {
        return controlUrl != null && secret != null;
    }

    /** The decisions client, or null when the route is off. */
    public LuatosDecisions decisions() {
        return enabled() ? new ControlDecisionClient(() -> controlUrl, secret, timeout) : null;
    }
}
