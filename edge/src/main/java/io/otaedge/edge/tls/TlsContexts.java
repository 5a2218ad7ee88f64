package io.otaedge.edge.tls;

import io.netty.handler.ssl.SslContext;
import io.otaedge.common.tls.PemTls;

/** Builds the edge's server TLS context from PEM files ({@link PemTls}, shared with control). */
public final class TlsContexts {

    private TlsContexts() {
    }

    /** The server context, or null when TLS is off; a bad certificate or key stops the start with its key's name. */
    public static SslContext server(TlsConfig tls) {
        return new PemTls(tls.certificate(), tls.key(), "OTA_EDGE_TLS_CERT/OTA_EDGE_TLS_KEY").serverContext();
    }
}
