package io.otaedge.edge.onenet;

import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import io.otaedge.edge.control.ControlHttpClient;
import java.net.URI;
import java.time.Duration;

/**
 * Whether the edge fronts OneNET's device API: on when {@code OTA_EDGE_DEVICE_API_URL} names control's
 * device port as the edge reaches it (e.g. {@code http://control:8081}); unset = off, those paths 404.
 *
 * @param timeout how long a forwarded call may take before the device gets errno 7
 *                ({@code OTA_EDGE_DECISION_TIMEOUT}, PT5S: the same wait as for LuatOS' decisions)
 */
public record OneNetDeviceApiSettings(URI controlDeviceUrl, Duration timeout) {

    public static final String KEY = "OTA_EDGE_DEVICE_API_URL";

    public static OneNetDeviceApiSettings from(Settings s) {
        URI url = s.get(KEY).filter(v -> !v.isBlank()).map(OneNetDeviceApiSettings::url).orElse(null);
        return new OneNetDeviceApiSettings(url, s.duration("OTA_EDGE_DECISION_TIMEOUT", Duration.ofSeconds(5)));
    }

    private static URI url(String value) {
        URI url;
        try {
            url = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(KEY, value, "an http://host:port URL");
        }
        if (url.getHost() == null || !"http".equals(url.getScheme())) {
            throw new ConfigException(KEY, value, "an http://host:port URL");
        }
        return url;
    }

    public boolean enabled() {
        return controlDeviceUrl != null;
    }

    /** The forwarding device API, or null when it is off. */
    public OneNetDeviceApi deviceApi() {
        return enabled() ? new OneNetDeviceApi(new ControlHttpClient(() -> controlDeviceUrl, timeout)) : null;
    }
}
