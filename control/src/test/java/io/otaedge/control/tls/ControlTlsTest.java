package io.otaedge.control.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import io.otaedge.common.tls.SelfSignedPem;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control's two ports over real TLS on loopback, each with its own PEM pair (a self-signed certificate made by
 * the JDK's keytool): a OneNET check and an admin call answer over https, and plain HTTP gets no answer.
 */
class ControlTlsTest {

    @TempDir
    Path dir;

    @Test
    void bothPortsServeOverTlsWithTheirOwnPemPairs() throws Exception {
        SelfSignedPem device = SelfSignedPem.create(Files.createDirectories(dir.resolve("device")));
        SelfSignedPem admin = SelfSignedPem.create(Files.createDirectories(dir.resolve("admin")));
        try (ControlHarness control = new ControlHarness(
                ControlTls.DEVICE_CERT, device.certificate().toString(), ControlTls.DEVICE_KEY, device.key().toString(),
                ControlTls.ADMIN_CERT, admin.certificate().toString(), ControlTls.ADMIN_KEY, admin.key().toString())) {
            HttpClient devices = HttpClient.newBuilder().sslContext(device.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
            HttpClient operators = HttpClient.newBuilder().sslContext(admin.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();

            HttpResponse<String> products = operators.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + control.server.adminPort() + "/admin/v1/products"))
                    .header("Authorization", "Bearer " + control.adminKey).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(products.statusCode()).as(products.body()).isEqualTo(200);

            HttpResponse<String> check = devices.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + control.server.devicePort() + "/ota/south/check?dev_id=1&manuf=100&model=10001&type=1&version=1.0"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(check.statusCode()).isEqualTo(200);
            assertThat(ControlHarness.json(check).get("errno").asInt()).as(check.body()).isEqualTo(1);

            // Each port presents its own certificate: a client trusting only the other one's refuses it.
            assertThatThrownBy(() -> devices.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + control.server.adminPort() + "/health/live")).GET().build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
            // Plain HTTP on a TLS port gets no HTTP answer.
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + control.server.devicePort() + "/ota/south/check")).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        }
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    @Test
    void aCertificateWithoutItsKeyOrAnUnreadableFileStopsTheStartNamingTheKey() throws IOException {
        Path cert = Files.writeString(dir.resolve("c.pem"), "not a certificate");
        assertThatThrownBy(() -> ControlTls.from(Settings.from(Map.of(ControlTls.ADMIN_CERT, cert.toString()))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTA_ADMIN_TLS_CERT and OTA_ADMIN_TLS_KEY go together");
        assertThatThrownBy(() -> ControlTls.from(Settings.from(Map.of(ControlTls.DEVICE_CERT, cert.toString(),
                ControlTls.DEVICE_KEY, dir.resolve("missing.pem").toString()))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTA_CONTROL_TLS_KEY");
        ControlTls garbage = ControlTls.from(Settings.from(Map.of(ControlTls.DEVICE_CERT, cert.toString(), ControlTls.DEVICE_KEY, cert.toString())));
        assertThatThrownBy(() -> garbage.device().serverContext()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("OTA_CONTROL_TLS_CERT/OTA_CONTROL_TLS_KEY");
    }
}
