package io.otaedge.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.common.testing.AccessLines;
import io.otaedge.common.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One request id through both services: a OneNET check sent to the edge (which forwards it to control) is one line
 * in each access log under the same {@code X-Request-Id}, the caller's when it sent a sane one, else the edge's;
 * control's line names the dialect and the device, and the download that follows is one edge line naming the
 * device its token was issued to, with the token cut to its first characters.
 */
class AccessLogEndToEndTest {

    static final String DEV_ID = "7301";

    @TempDir
    static Path dataDir;
    static Standalone system;
    static String authorization;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void publish() throws Exception {
        system = Standalone.start(StandaloneEndToEndTest.settings(dataDir));
        OtaTestClient admin = new OtaTestClient(system);
        admin.createProduct("logged");
        byte[] firmware = new byte[5000];
        new Random(3).nextBytes(firmware);
        JsonNode fw = admin.uploadFirmware("logged", "2.0.0", "fw.bin", firmware);
        admin.createTask("logged", fw.get("id").asText());
        authorization = admin.oneNetAuthorization("logged");
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    HttpResponse<String> check(String requestId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + system.edgePort()
                        + "/ota/south/check?dev_id=" + DEV_ID + "&manuf=100&model=10001&type=1&version=1.0.0&cdn=false"))
                .header("Authorization", authorization).timeout(Duration.ofSeconds(10)).GET();
        if (requestId != null) {
            b.header("X-Request-Id", requestId);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aForwardedCheckIsOneLineInEachServiceUnderOneRequestId() throws Exception {
        try (AccessLines log = AccessLines.attach()) {
            HttpResponse<String> r = check("device-req-1");
            assertThat(r.statusCode()).isEqualTo(200);

            List<Map<String, Object>> lines = awaitBoth(log, "device-req-1");
            Map<String, Object> edge = only(lines, "edge");
            Map<String, Object> control = only(lines, "control");
            assertThat(edge).containsEntry("route", "device_api").containsEntry("path", "/ota/south/check")
                    .containsEntry("status", 200);
            assertThat(control).containsEntry("port", "device").containsEntry("dialect", "onenet")
                    .containsEntry("device", DEV_ID).containsEntry("path", "/ota/south/check").containsEntry("status", 200);
        }
    }

    @Test
    void withoutAnIdTheEdgeMakesOneThatControlLogsTooAndTheDownloadNamesItsDevice() throws Exception {
        try (AccessLines log = AccessLines.attach()) {
            HttpResponse<String> r = check(null);
            String token = Json.mapper().readTree(r.body()).path("data").path("token").asText();
            assertThat(token).startsWith("ota_");
            Map<String, Object> edgeLine = Await.until(Duration.ofSeconds(5),
                    () -> log.lines().stream().filter(l -> "edge".equals(l.get("service"))).toList(),
                    l -> !l.isEmpty(), "the edge's line").get(0);
            String made = (String) edgeLine.get("request_id");
            assertThat(made).matches("[0-9A-Za-z]{16}");
            assertThat(only(awaitBoth(log, made), "control")).containsEntry("device", DEV_ID);

            HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + system.edgePort() + "/ota/south/download/" + token + "?s_id=" + DEV_ID)).header("Range", "bytes=0-99")
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(download.statusCode()).isEqualTo(206);
            Map<String, Object> line = Await.until(Duration.ofSeconds(5),
                    () -> log.lines().stream().filter(l -> "onenet".equals(l.get("route"))).toList(),
                    l -> !l.isEmpty(), "the download's line").get(0);
            assertThat(line).containsEntry("device", DEV_ID).containsEntry("token", token.substring(0, 6) + "…")
                    .containsEntry("bytes", 100L).containsEntry("range", "bytes=0-99").containsEntry("status", 206);
            assertThat(log.lines().toString()).doesNotContain(token);
        }
    }

    private static List<Map<String, Object>> awaitBoth(AccessLines log, String requestId) {
        return Await.until(Duration.ofSeconds(5),
                () -> log.lines().stream().filter(l -> requestId.equals(l.get("request_id"))).toList(),
                l -> l.size() >= 2, "an edge and a control line for " + requestId);
    }

    private static Map<String, Object> only(List<Map<String, Object>> lines, String service) {
        List<Map<String, Object>> of = lines.stream().filter(l -> service.equals(l.get("service"))).toList();
        assertThat(of).as(service + " lines").hasSize(1);
        return of.get(0);
    }
}
