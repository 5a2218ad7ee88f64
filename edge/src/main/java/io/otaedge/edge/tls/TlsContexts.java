package io.otaedge.edge.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.otaedge.common.config.ConfigException;

/** Builds the edge's server TLS context from PEM files, with the JDK's provider (no native library needed). */
public final class TlsContexts {

    private TlsContexts() {
    }

    /** The server context, or null when TLS is off; a bad certificate or key stops the start with its key's name. */
    public static SslContext server(TlsConfig tls) {
        if (!tls.enabled()) {
            return null;
        }
        try {
            return SslContextBuilder.forServer(tls.certificate().toFile(), tls.key().toFile())
                    .sslProvider(SslProvider.JDK)
                    .build();
        } catch (Exception e) {
            throw new ConfigException("OTA_EDGE_TLS_CERT/OTA_EDGE_TLS_KEY", tls.certificate() + ", " + tls.key(),
                    "a PEM certificate chain and its unencrypted PKCS#8 PEM private key (" + e.getMessage() + ")");
        }
    }
}
