package io.otaedge.edge.origin;

import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import java.net.URI;
import java.time.Duration;

/**
 * Where an edge pulls blobs it does not have on local disk.
 *
 * @param url     the control service's admin base URL, e.g. {@code http://control:8082}; null = origin-pull off
 *                ({@code OTA_EDGE_ORIGIN_URL})
 * @param secret  the shared secret sent as {@code X-OTA-Internal-Secret} ({@code OTA_INTERNAL_SECRET}, required with a URL)
 * @param timeout how long one whole pull (connect, answer, body) may take ({@code OTA_EDGE_ORIGIN_TIMEOUT}, PT2M)
 */
public record OriginConfig(URI url, String secret, Duration timeout) {

    public static OriginConfig from(Settings s) {
        Duration timeout = s.duration("OTA_EDGE_ORIGIN_TIMEOUT", Duration.ofMinutes(2));
        String url = s.get("OTA_EDGE_ORIGIN_URL").orElse(null);
        if (url == null) {
            return new OriginConfig(null, null, timeout);
        }
        URI uri;
        try {
            uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("OTA_EDGE_ORIGIN_URL", url, "an http(s) URL such as http://control:8082");
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new ConfigException("OTA_EDGE_ORIGIN_URL", url, "an http(s) URL such as http://control:8082");
        }
        String secret = s.get("OTA_INTERNAL_SECRET").orElseThrow(() -> new ConfigException(
                "OTA_INTERNAL_SECRET is required with OTA_EDGE_ORIGIN_URL: the control service's internal blob endpoint asks for it"));
        if (secret.length() < 16) {
            throw new ConfigException("OTA_INTERNAL_SECRET", "(hidden)", "at least 16 characters");
        }
        return new OriginConfig(uri, secret, timeout);
    }

    public boolean enabled() {
        return url != null;
    }

    @Override
    public String toString() {
        // The secret never reaches a log line.
        return "OriginConfig[url=" + url + ", timeout=" + timeout + "]";
    }
}
