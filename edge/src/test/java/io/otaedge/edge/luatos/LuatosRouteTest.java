package io.otaedge.edge.luatos;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.config.Settings;
import io.otaedge.common.redis.TestRedis;
import io.otaedge.common.token.TokenStore;
import io.otaedge.edge.EdgeConfig;
import io.otaedge.edge.EdgeDependencies;
import io.otaedge.edge.EdgeServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge's LuatOS route when the control service cannot decide: a 503, never a 200 a device would
 * flash. (The served path is tested end to end in standalone's LuatosEndToEndTest.)
 */
class LuatosRouteTest {

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    EdgeServer edge(LuatosDecisions decisions) {
        EdgeConfig config = EdgeConfig.from(Settings.from(Map.of("OTA_EDGE_BIND", "127.0.0.1", "OTA_EDGE_PORT", "0",
                "OTA_EDGE_SHUTDOWN_GRACE", "PT2S")));
        TokenStore tokens = new TokenStore(TestRedis.connector().async());
        return new EdgeServer(config, EdgeDependencies.builder(tokens::find, new BlobStore(dir.resolve("blobs")))
                .luatos(decisions, "/api/site/firmware_upgrade").build()).start();
    }

    HttpResponse<String> get(EdgeServer edge, String target) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + target))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void controlUnreachableIs503() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        int port = closedPort;
        try (EdgeServer edge = edge(new ControlDecisionClient(() -> URI.create("http://127.0.0.1:" + port), "s", Duration.ofSeconds(2)))) {
            HttpResponse<String> r = get(edge, "/api/site/firmware_upgrade?project_key=k&firmware_name=f&version=1.0.0&imei=1");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
        }
    }

    @Test
    void aRefusalOutsideTheAllowedRangeBecomes503() {
        assertThat(new LuatosDecision.Refusal(200, "x").status()).isEqualTo(503);
        assertThat(new LuatosDecision.Refusal(404, "x").status()).isEqualTo(404);
    }

    @Test
    void aMalformedDecisionFailsInsteadOfServing() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ControlDecisionClient.parse(200, "{}".getBytes()))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void controlsStatusesMapToMisconfigurationRefusalOrOutage() throws Exception {
        for (int status : new int[] {401, 403, 404, 405}) {
            assertThat(ControlDecisionClient.parse(status, "{}".getBytes())).as("%d", status)
                    .isInstanceOf(LuatosDecision.Misconfigured.class);
        }
        assertThat(ControlDecisionClient.parse(401, new byte[0])).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.type(LuatosDecision.Misconfigured.class))
                .extracting(LuatosDecision.Misconfigured::fix).asString().contains("OTA_INTERNAL_SECRET");
        assertThat(ControlDecisionClient.parse(404, new byte[0])).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.type(LuatosDecision.Misconfigured.class))
                .extracting(LuatosDecision.Misconfigured::fix).asString().contains("OTA_EDGE_CONTROL_URL");
        for (int status : new int[] {400, 413, 414, 431}) {
            assertThat(ControlDecisionClient.parse(status, new byte[0])).as("%d", status)
                    .isEqualTo(new LuatosDecision.Refusal(status, "the request was refused as malformed"));
        }
        for (int status : new int[] {302, 408, 429, 500, 502, 503, 504}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ControlDecisionClient.parse(status, new byte[0]))
                    .as("%d", status).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void offWhenNotConfiguredIs404() throws Exception {
        try (EdgeServer edge = edge(null)) {
            assertThat(get(edge, "/api/site/firmware_upgrade?imei=1").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void settingsTurnTheRouteOnOnlyWithUrlAndSecret() {
        assertThat(LuatosSettings.from(Settings.from(Map.of())).enabled()).isFalse();
        assertThat(LuatosSettings.from(Settings.from(Map.of("OTA_EDGE_CONTROL_URL", "http://c:8082"))).enabled()).isFalse();
        LuatosSettings on = LuatosSettings.from(Settings.from(Map.of("OTA_EDGE_CONTROL_URL", "http://c:8082",
                "OTA_INTERNAL_SECRET", "s3cret", "OTA_EDGE_LUATOS_PATH", "/fota")));
        assertThat(on.enabled()).isTrue();
        assertThat(on.path()).isEqualTo("/fota");
        assertThat(on.decisions()).isNotNull();
    }
}
