package io.otaedge.edge.tls;

import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS for the download port: a PEM certificate chain and a PEM (PKCS#8) private key. Both unset =
 * plain HTTP with sendfile.
 *
 * @param certificate {@code OTA_EDGE_TLS_CERT}
 * @param key         {@code OTA_EDGE_TLS_KEY}
 */
public record TlsConfig(Path certificate, Path key) {

    public static final TlsConfig OFF = new TlsConfig(null, null);

    public static TlsConfig from(Settings s) {
        boolean cert = s.get("OTA_EDGE_TLS_CERT").isPresent();
        boolean key = s.get("OTA_EDGE_TLS_KEY").isPresent();
        if (!cert && !key) {
            return OFF;
        }
        if (cert != key) {
            throw new ConfigException("OTA_EDGE_TLS_CERT and OTA_EDGE_TLS_KEY go together: set both for TLS, or neither");
        }
        TlsConfig tls = new TlsConfig(s.path("OTA_EDGE_TLS_CERT", ""), s.path("OTA_EDGE_TLS_KEY", ""));
        readable("OTA_EDGE_TLS_CERT", tls.certificate);
        readable("OTA_EDGE_TLS_KEY", tls.key);
        return tls;
    }

    public boolean enabled() {
        return certificate != null;
    }

    private static void readable(String key, Path p) {
        if (!Files.isReadable(p)) {
            throw new ConfigException(key, p.toString(), "a readable PEM file");
        }
    }
}
