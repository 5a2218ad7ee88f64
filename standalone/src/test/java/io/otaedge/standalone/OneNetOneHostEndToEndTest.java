package io.otaedge.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A OneNET device configured with one address, the edge's, and nothing else: it checks, checks its
 * token, downloads by range ({@code /ota/south/download/{token}} with {@code ?s_id=}, both Range
 * spellings), reports progress and its new version, all on the edge's port, as AT-command firmware
 * does (it downloads from the host it checks against). The standalone needs no setting for it: its
 * edge fronts OneNET's device API and forwards those calls to its control.
 *
 * <p>Reproduces OneNET's south API as its own documentation puts it, every call on one host
 * ({@code ota.heclouds.com}): {@code warrlon/warrlon} at 3608b26238b289fb7f16f31a3fc9628be80cdc2b,
 * {@code iotgz-docs/subbook/ota/book/develop/south-API/} {@code 1task.md} (check), {@code 2token.md}
 * (token check), {@code 3port.md} (download, {@code s_id}, {@code Range=start-end}),
 * {@code 4report_process.md} (progress), {@code 0report_version.md} (version report); and the AT-command
 * firmware behaviour recorded in PROTOCOLS.md (downloads from the host it checks against).
 */
class OneNetOneHostEndToEndTest {

    static final int SIZE = 200_000;
    static final String DEV_ID = "7001";

    @TempDir
    static Path dataDir;
    static Standalone system;
    static OtaTestClient admin;
    static byte[] firmware;
    static String md5;
    static String taskId;
    static String authorization;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void publish() throws Exception {
        system = Standalone.start(StandaloneEndToEndTest.settings(dataDir));
        admin = new OtaTestClient(system);
        firmware = new byte[SIZE];
        new Random(7).nextBytes(firmware);
        md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(firmware));
        admin.createProduct("onehost");
        JsonNode fw = admin.uploadFirmware("onehost", "2.0.0", "m5311.bin", firmware);
        taskId = admin.createTask("onehost", fw.get("id").asText());
        authorization = admin.oneNetAuthorization("onehost");
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    String edge(String target) {
        return "http://127.0.0.1:" + system.edgePort() + target;
    }

    JsonNode oneNet(String method, String target, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(edge(target))).header("Authorization", authorization)
                .timeout(Duration.ofSeconds(10));
        b = body == null ? b.GET() : b.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(target + " " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return Json.mapper().readTree(r.body());
    }

    HttpResponse<byte[]> range(String token, String range) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(edge("/ota/south/download/" + token + "?s_id=" + DEV_ID)))
                .header("Range", range).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aOneNetDeviceCompletesItsUpgradeTalkingOnlyToTheEdge() throws Exception {
        // Check (OneNET's documented GET form), on the edge.
        JsonNode check = oneNet("GET", "/ota/south/check?dev_id=" + DEV_ID
                + "&manuf=100&model=10001&type=1&version=1.0.0&cdn=false", null);
        assertThat(check.get("errno").asInt()).as(check.toString()).isZero();
        JsonNode data = check.get("data");
        String token = data.get("token").asText();
        assertThat(data.get("target").asText()).isEqualTo("2.0.0");
        assertThat(data.get("size").asInt()).isEqualTo(SIZE);
        assertThat(data.get("md5").asText()).isEqualTo(md5);
        assertThat(data.get("ipPort").asText()).isEqualTo("127.0.0.1:" + system.edgePort());

        // Token check: to DOWNLOADING.
        JsonNode tokenCheck = oneNet("GET", "/ota/south/download/" + token + "/check?dev_id=" + DEV_ID, null);
        assertThat(tokenCheck.get("errno").asInt()).as(tokenCheck.toString()).isZero();

        // Download in ranges, in both spellings OneNET devices send, from the same host.
        byte[] assembled = new byte[SIZE];
        HttpResponse<byte[]> first = range(token, "bytes=0-65535");
        assertThat(first.statusCode()).isEqualTo(206);
        System.arraycopy(first.body(), 0, assembled, 0, first.body().length);
        JsonNode half = oneNet("POST", "/ota/south/device/download/" + token + "/progress?dev_id=" + DEV_ID,
                "{\"step\":33}");
        assertThat(half.get("errno").asInt()).as(half.toString()).isZero();
        HttpResponse<byte[]> rest = range(token, "65536-");
        assertThat(rest.statusCode()).isEqualTo(206);
        System.arraycopy(rest.body(), 0, assembled, 65_536, rest.body().length);
        assertThat(assembled).isEqualTo(firmware);

        // Progress to the end, then upgraded, then the new version.
        for (int step : new int[] {100, 201}) {
            JsonNode p = oneNet("POST", "/ota/south/device/download/" + token + "/progress?dev_id=" + DEV_ID,
                    "{\"step\":" + step + "}");
            assertThat(p.get("errno").asInt()).as(step + " " + p).isZero();
        }
        JsonNode version = oneNet("POST", "/ota/device/version?dev_id=" + DEV_ID,
                "{\"f_version\":\"2.0.0\",\"s_version\":\"1.0.0\"}");
        assertThat(version.get("errno").asInt()).as(version.toString()).isZero();
        JsonNode reported = oneNet("GET", "/ota/device/version?dev_id=" + DEV_ID, null);
        assertThat(reported.get("data").get("f_version").asText()).isEqualTo("2.0.0");

        JsonNode progress = Json.mapper().readTree(admin.adminGet("/admin/v1/tasks/" + taskId + "/progress").body());
        assertThat(progress.get("counts").get("SUCCEEDED").asInt()).as(progress.toString()).isEqualTo(1);
    }

    @Test
    void theSeedsPostCheckAndTheReportCallWorkOnTheEdgeToo() throws Exception {
        JsonNode check = oneNet("POST", "/ota/south/check", "{\"dev_id\":7002,\"manuf\":\"China Mobile\","
                + "\"model\":\"M5310\",\"type\":1,\"version\":\"1.0.0\",\"signals\":10,\"powers\":30,\"cdn\":false}");
        assertThat(check.get("errno").asInt()).as(check.toString()).isZero();
        String token = check.get("data").get("token").asText();
        JsonNode report = oneNet("POST", "/ota/south/report?dev_id=7002&token=" + token, "{\"result\":101}");
        assertThat(report.get("errno").asInt()).as(report.toString()).isZero();
    }

    @Test
    void aBadCredentialIsRefusedByControlInOneNetsWords() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(edge("/ota/south/check?dev_id=1&manuf=100"
                        + "&model=10001&type=1&version=1.0.0&cdn=false")))
                .header("Authorization", "version=2018-10-31&res=products%2Fonehost&et=1&method=sha1&sign=x").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(r.body()).get("errno").asInt()).isEqualTo(1);
    }
}
