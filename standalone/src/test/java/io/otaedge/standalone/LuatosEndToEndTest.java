package io.otaedge.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LuatOS libfota end to end: the device's one GET goes to the edge, which asks control for the
 * decision and serves the firmware (200, or 206 for the resuming {@code Range: bytes=N-}) or refuses
 * with a status of 300 or more and a short reason, never a 200.
 */
class LuatosEndToEndTest {

    static final int SIZE = 300_000;

    @TempDir
    static Path dataDir;

    static Standalone system;
    static OtaTestClient client;
    static byte[] firmware;
    static String projectKey;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        system = Standalone.start(StandaloneEndToEndTest.settings(dataDir));
        client = new OtaTestClient(system);
        firmware = new byte[SIZE];
        new Random(7).nextBytes(firmware);
        client.createProduct("luat");
        JsonNode fw = client.uploadFirmware("luat", "1001.0.2", "luat.bin", firmware);
        client.createTask("luat", fw.get("id").asText());
        projectKey = Json.mapper().readTree(client.adminGet("/admin/v1/products/luat/luatos-key").body()).get("projectKey").asText();
        base = "http://127.0.0.1:" + system.edgePort() + "/api/site/firmware_upgrade";
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    static String query(String device, String version) {
        return "project_key=" + projectKey + "&firmware_name=luat_LuatOS-SoC_EC618&version=" + version + "&" + device;
    }

    @Test
    void anUpgradeIs200WithTheFirmwareAsTheBody() throws Exception {
        HttpResponse<byte[]> r = client.get(base + "?" + query("imei=861551056421746", "1001.0.1"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Length")).hasValue(Integer.toString(SIZE));
        assertThat(r.body()).isEqualTo(firmware);
    }

    @Test
    void theRepeatedRequestWithRangeResumesWith206AndKeepsTheDevicesToken() throws Exception {
        String url = base + "?" + query("imei=861551056421747", "1001.0.1");
        assertThat(client.get(url).statusCode()).isEqualTo(200);
        String tokenBefore = deviceToken("861551056421747");

        HttpResponse<byte[]> r = client.get(url, "Range", "bytes=100000-");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 100000-" + (SIZE - 1) + "/" + SIZE);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(firmware, 100000, SIZE));
        assertThat(deviceToken("861551056421747")).isEqualTo(tokenBefore);
    }

    String deviceToken(String device) throws Exception {
        JsonNode tasks = Json.mapper().readTree(client.adminGet("/admin/v1/products/luat/tasks").body());
        JsonNode progress = Json.mapper().readTree(client.adminGet("/admin/v1/tasks/"
                + tasks.get("tasks").get(0).get("id").asText() + "/progress").body());
        for (JsonNode row : progress.get("devices")) {
            if (row.get("deviceId").asText().equals(device)) {
                return row.get("token").asText();
            }
        }
        throw new AssertionError("no row for " + device + " in " + progress);
    }

    @Test
    void libfota2AppendsItsParametersStraightToTheConfiguredUrl() throws Exception {
        // A deployment configured "…/firmware_upgrade?" and libfota2 appended "<id>&project_key=…".
        HttpResponse<byte[]> r = client.get(base + "?mac=C8C9A3000001&" + query("uid=x", "1001.0.1").replace("&uid=x", ""));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(firmware);
        // … or one configured without '?': the parameters follow the path directly.
        assertThat(rawStatusLine("/api/site/firmware_upgrade" + "imei=1&" + query("uid=y", "1001.0.1").replace("&uid=y", "")))
                .startsWith("HTTP/1.1 200");
    }

    @Test
    void noUpgradeAndErrorsAreStatusesOf300OrMoreWithAShortReason() throws Exception {
        assertRefused(base + "?" + query("imei=1", "1001.0.2"), 404, "27 already latest");
        assertRefused(base + "?" + query("imei=1", "1.0"), 400, "26 invalid firmware");
        assertRefused(base + "?" + query("imei=1", "1001.0.1").replace(projectKey, "0000"), 403, "17 no permission");
        assertRefused(base + "?" + query("uid=", "1001.0.1"), 400, "3 invalid device");
    }

    static void assertRefused(String url, int status, String reasonStart) throws Exception {
        HttpResponse<byte[]> r = client.get(url);
        assertThat(r.statusCode()).isEqualTo(status).isGreaterThanOrEqualTo(300);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).startsWith(reasonStart);
    }

    /** LuatOS' own request shape: HTTP/1.1, Connection: Close, no User-Agent. */
    static String rawStatusLine(String target) throws Exception {
        try (Socket s = new Socket("127.0.0.1", system.edgePort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + system.edgePort() + "\r\nConnection: Close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                head.write(b);
            }
            in.readAllBytes();
            return head.toString(StandardCharsets.US_ASCII);
        }
    }
}
