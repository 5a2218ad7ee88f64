package io.otaedge.edge.tls;

import io.otaedge.common.config.Settings;
import io.otaedge.common.tls.PemTls;
import java.nio.file.Path;

/**
 * TLS for the download port: a PEM certificate chain and a PEM (PKCS#8) private key ({@link PemTls}). Both
 * unset = plain HTTP with sendfile.
 *
 * @param certificate {@code OTA_EDGE_TLS_CERT}
 * @param key         {@code OTA_EDGE_TLS_KEY}
 */
public record TlsConfig(Path certificate, Path key) {

    public static final TlsConfig OFF = new TlsConfig(null, null);

    public static TlsConfig from(Settings s) {
        PemTls pem = PemTls.from(s, "OTA_EDGE_TLS_CERT", "OTA_EDGE_TLS_KEY");
        return pem.enabled() ? new TlsConfig(pem.certificate(), pem.key()) : OFF;
    }

    public boolean enabled() {
        return certificate != null;
    }
}
