package io.otaedge.common.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS for one server port from two PEM files: a certificate chain and its unencrypted PKCS#8 private key,
 * named by two configuration keys that go together. Both unset = plain HTTP. Shared by the edge's download
 * port and control's two ports.
 *
 * @param certificate the chain, or null when TLS is off
 * @param key         the private key, or null when TLS is off
 * @param keys        the two configuration keys, for error messages ({@code "OTA_EDGE_TLS_CERT/OTA_EDGE_TLS_KEY"})
 */
public record PemTls(Path certificate, Path key, String keys) {

    public static PemTls off(String keys) {
        return new PemTls(null, null, keys);
    }

    /** Reads {@code certKey} and {@code keyKey}: both or neither, each a readable file. */
    public static PemTls from(Settings s, String certKey, String keyKey) {
        String keys = certKey + "/" + keyKey;
        boolean cert = s.get(certKey).isPresent();
        boolean key = s.get(keyKey).isPresent();
        if (!cert && !key) {
            return off(keys);
        }
        if (cert != key) {
            throw new ConfigException(certKey + " and " + keyKey + " go together: set both for TLS, or neither");
        }
        PemTls tls = new PemTls(s.path(certKey, ""), s.path(keyKey, ""), keys);
        readable(certKey, tls.certificate);
        readable(keyKey, tls.key);
        return tls;
    }

    public boolean enabled() {
        return certificate != null;
    }

    /** The server context (JDK provider: no native library), or null when off; a bad file stops the start naming its keys. */
    public SslContext serverContext() {
        if (!enabled()) {
            return null;
        }
        try {
            return SslContextBuilder.forServer(certificate.toFile(), key.toFile()).sslProvider(SslProvider.JDK).build();
        } catch (Exception e) {
            throw new ConfigException(keys, certificate + ", " + key,
                    "a PEM certificate chain and its unencrypted PKCS#8 PEM private key (" + e.getMessage() + ")");
        }
    }

    private static void readable(String key, Path p) {
        if (!Files.isReadable(p)) {
            throw new ConfigException(key, p.toString(), "a readable PEM file");
        }
    }
}
