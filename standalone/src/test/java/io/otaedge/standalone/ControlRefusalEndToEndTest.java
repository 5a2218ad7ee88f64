package io.otaedge.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.config.Settings;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.edge.EdgeConfig;
import io.otaedge.edge.EdgeDependencies;
import io.otaedge.edge.EdgeServer;
import io.otaedge.edge.control.ControlHttpClient;
import io.otaedge.edge.luatos.ControlDecisionClient;
import io.otaedge.edge.metrics.EdgeMetrics;
import io.otaedge.edge.onenet.OneNetDeviceApi;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second edge set up wrong against the standalone's real control: its {@code OTA_INTERNAL_SECRET} differs
 * from control's, and it forwards OneNET's device API to control's operator port. Control answers its calls
 * 401; the edge must not tell devices to retry a fault only an operator can mend. A LuatOS device gets 500
 * without Retry-After (libfota2 reads every status but 200/206 as "no upgrade" and waits for its next
 * periodic check: openLuat/LuatOS f9601cc, {@code script/libs/libfota2.lua} {@code fota_task}); a OneNET
 * device gets errno 7 in OneNET's envelope (what it reads). Each refusal is counted per call and logged.
 */
class ControlRefusalEndToEndTest {

    @TempDir
    static Path dataDir;
    static Standalone system;
    static RedisConnector redis;
    static EdgeMetrics metrics;
    static EdgeServer misconfigured;

    @BeforeAll
    static void start() {
        system = Standalone.start(StandaloneEndToEndTest.settings(dataDir));
        redis = RedisConnector.connect(system.redisUri());
        metrics = new EdgeMetrics(new SimpleMeterRegistry());
        URI operatorPort = URI.create("http://127.0.0.1:" + system.adminPort());
        EdgeConfig config = EdgeConfig.from(Settings.from(Map.of("OTA_EDGE_BIND", "127.0.0.1", "OTA_EDGE_PORT", "0",
                "OTA_EDGE_SHUTDOWN_GRACE", "PT1S")));
        misconfigured = new EdgeServer(config, EdgeDependencies.redis(redis, new BlobStore(dataDir.resolve("edge2-blobs")))
                .metrics(metrics)
                .luatos(new ControlDecisionClient(() -> operatorPort, "not-the-secret-control-has", Duration.ofSeconds(5)),
                        "/api/site/firmware_upgrade")
                .deviceApi(new OneNetDeviceApi(new ControlHttpClient(() -> operatorPort, Duration.ofSeconds(5))))
                .build())
                .start();
    }

    @AfterAll
    static void stop() {
        if (misconfigured != null) {
            misconfigured.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (system != null) {
            system.close();
        }
    }

    static double refusals(String call) {
        return metrics.registry().get("ota.edge.control.refusals").tag("call", call).counter().count();
    }

    /** One request in the device's own shape (HTTP/1.1, {@code Connection: Close}); the whole answer. */
    static String exchange(String target) throws Exception {
        try (Socket s = new Socket("127.0.0.1", misconfigured.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + misconfigured.port()
                    + "\r\nConnection: Close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void aLuatosDeviceGetsNoUpgradeAndNoRetryWhenControlRefusesTheEdgesSecret() throws Exception {
        double before = refusals("luatos");
        String r = exchange("/api/site/firmware_upgrade?project_key=k&firmware_name=p_LuatOS-SoC_EC618"
                + "&version=1001.0.1&imei=861551056421746");
        assertThat(r).startsWith("HTTP/1.1 500 ").doesNotContain("Retry-After");
        assertThat(Json.mapper().readTree(body(r)).get("error").asText()).isEqualTo("misconfigured");
        assertThat(refusals("luatos")).isEqualTo(before + 1);
    }

    @Test
    void aOneNetDeviceGetsErrno7WhenItsCallsAreForwardedToControlsOperatorPort() throws Exception {
        double before = refusals("onenet");
        String r = exchange("/ota/south/check?dev_id=7001&manuf=100&model=10001&type=2&version=1.0&cdn=false");
        assertThat(r).startsWith("HTTP/1.1 200 ");
        assertThat(body(r)).isEqualTo("{\"errno\":7,\"error\":\"internal error\",\"data\":{}}");
        assertThat(refusals("onenet")).isEqualTo(before + 1);
    }
}
