package io.otaedge.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the standalone jar stops the edge, then control, then Redis: what the edge counted in
 * memory is written at its stop and is in Redis after a restart. With the progress flush set to an
 * hour, only the stop can have written it. (The embedded-redis library's own shutdown hook used to
 * stop Redis at the same time, a race this test loses only sometimes; it fails every time if the stop
 * flush or the order goes.) Here, beside the smoke run, because it needs the packaged jar in a process
 * of its own; the standalone module's tests run before that jar exists.
 */
class StandaloneShutdownTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void whatTheEdgeServedIsWrittenBeforeRedisStopsOnSigterm() throws Exception {
        Path jar = Path.of(System.getProperty("ota.standaloneJar", "../standalone/target/ota-standalone.jar"))
                .toAbsolutePath().normalize();
        Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "shutdown")).toAbsolutePath(), "run-");
        byte[] firmware = new byte[200_000];
        new Random(5).nextBytes(firmware);
        String taskId;
        try (StandaloneProcess first = StandaloneProcess.start(jar, work, Map.of("OTA_EDGE_PROGRESS_FLUSH", "PT1H"))) {
            OtaAdmin admin = new OtaAdmin(first.adminUrl, first.adminKey);
            admin.createProduct("stop", "Stop");
            String fw = admin.uploadFirmware("stop", "2.0.0", "fw.bin", firmware).get("id").asText();
            taskId = admin.createTask("stop", fw);
            String auth = admin.oneNetAuthorization("stop", Duration.ofHours(1));
            HttpResponse<String> check = http.send(HttpRequest.newBuilder(URI.create(first.deviceUrl + "/ota/south/check"))
                    .header("Authorization", auth).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"dev_id\":9,\"manuf\":\"m\",\"model\":\"x\",\"type\":1,\"version\":\"1.0\",\"cdn\":false}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String token = JSON.readTree(check.body()).get("data").get("token").asText();
            HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(first.edgeUrl + "/ota/download/" + token))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(download.body()).isEqualTo(firmware);
            assertThat(first.stop()).as("exit status after SIGTERM").isEqualTo(143);
        }
        try (StandaloneProcess second = StandaloneProcess.start(jar, work)) {
            JsonNode progress = new OtaAdmin(second.adminUrl, second.adminKey).get("/admin/v1/tasks/" + taskId + "/progress");
            JsonNode device = progress.get("devices").get(0);
            assertThat(device.get("servedBytes").asLong()).as(progress.toString()).isEqualTo(firmware.length);
            assertThat(device.get("state").asText()).isEqualTo("DOWNLOADING");
        }
    }
}
