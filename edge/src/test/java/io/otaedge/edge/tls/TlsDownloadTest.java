package io.otaedge.edge.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otaedge.common.blob.BlobInfo;
import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import io.otaedge.common.tls.SelfSignedPem;
import io.otaedge.edge.EdgeConfig;
import io.otaedge.edge.EdgeFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge over TLS with a real TLS client on loopback: whole files, single and multiple ranges, byte for byte. */
class TlsDownloadTest {

    private static final int SIZE = 3 * 1024 * 1024 + 77;

    @TempDir
    static Path dir;

    private static SelfSignedPem pem;
    private static EdgeFixture edge;
    private static HttpClient https;
    private static byte[] firmware;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        pem = SelfSignedPem.create(dir);
        edge = EdgeFixture.start(dir, Map.of("OTA_EDGE_TLS_CERT", pem.certificate().toString(),
                "OTA_EDGE_TLS_KEY", pem.key().toString()));
        https = HttpClient.newBuilder().sslContext(pem.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
        firmware = EdgeFixture.randomBytes(SIZE, 99);
        BlobInfo blob = edge.storeBlob(firmware);
        token = edge.grant(blob, "fw.bin", Duration.ofMinutes(5));
    }

    @AfterAll
    static void stop() {
        edge.close();
    }

    private static HttpResponse<byte[]> get(String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + edge.port() + "/ota/download/" + token))
                .timeout(Duration.ofSeconds(20));
        if (range != null) {
            b.header("Range", range);
        }
        return https.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theWholeFileArrivesIntactOverTls() throws Exception {
        HttpResponse<byte[]> r = get(null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(SIZE);
        assertThat(r.body()).isEqualTo(firmware);
    }

    @Test
    void aRangeArrivesIntactOverTls() throws Exception {
        HttpResponse<byte[]> r = get("bytes=1000000-1065535");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 1000000-1065535/" + SIZE);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(firmware, 1_000_000, 1_065_536));
        HttpResponse<byte[]> tail = get("bytes=-10");
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(firmware, SIZE - 10, SIZE));
    }

    @Test
    void multipleRangesArriveAsMultipartOverTls() throws Exception {
        HttpResponse<byte[]> r = get("bytes=0-99,2000000-2000099");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("multipart/byteranges"));
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(r.body().length);
        String body = new String(r.body(), StandardCharsets.ISO_8859_1);
        assertThat(body).contains(new String(Arrays.copyOfRange(firmware, 0, 100), StandardCharsets.ISO_8859_1));
        assertThat(body).contains(new String(Arrays.copyOfRange(firmware, 2_000_000, 2_000_100), StandardCharsets.ISO_8859_1));
        assertThat(body).contains("Content-Range: bytes 2000000-2000099/" + SIZE);
    }

    @Test
    void plainHttpOnTheTlsPortGetsNoFirmware() throws Exception {
        try (Socket s = new Socket("127.0.0.1", edge.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /ota/download/" + token + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] got;
            try {
                got = in.readAllBytes();
            } catch (IOException reset) {
                got = new byte[0];
            }
            assertThat(new String(got, StandardCharsets.ISO_8859_1)).doesNotContain("200 OK");
        }
        // The edge is still serving TLS clients afterwards.
        assertThat(get("bytes=0-0").statusCode()).isEqualTo(206);
    }

    @Test
    void aCertificateWithoutItsKeyIsAConfigurationError() throws Exception {
        assertThatThrownBy(() -> EdgeConfig.from(Settings.from(Map.of("OTA_EDGE_TLS_CERT", pem.certificate().toString()))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTA_EDGE_TLS_KEY");
        Path notPem = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
        EdgeConfig bad = EdgeConfig.from(Settings.from(Map.of("OTA_EDGE_TLS_CERT", notPem.toString(),
                "OTA_EDGE_TLS_KEY", notPem.toString())));
        assertThatThrownBy(() -> TlsContexts.server(bad.tls())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("OTA_EDGE_TLS_CERT");
    }
}
