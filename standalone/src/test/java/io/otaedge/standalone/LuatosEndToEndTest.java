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

    @Test
    void aResumeKeepsServingTheFirmwareTheDeviceWasDownloadingWhenANewerTaskStartsMeanwhile() throws Exception {
        // Its own product: the newer task must not reach the other tests' devices.
        client.createProduct("luatres");
        byte[] a = new byte[SIZE];
        new Random(11).nextBytes(a);
        byte[] b = new byte[SIZE];
        new Random(13).nextBytes(b);
        client.createTask("luatres", client.uploadFirmware("luatres", "1001.0.2", "a.bin", a).get("id").asText());
        String key = Json.mapper().readTree(client.adminGet("/admin/v1/products/luatres/luatos-key").body())
                .get("projectKey").asText();
        String target = "/api/site/firmware_upgrade?project_key=" + key
                + "&firmware_name=luatres_LuatOS-SoC_EC618&version=1001.0.1&imei=861551056421750";

        // The first attempt breaks after N bytes of task A's firmware.
        int n = 120_000;
        byte[] first = partialBody(target, n);
        assertThat(first).hasSize(n);
        assertThat(Arrays.mismatch(first, Arrays.copyOf(a, n))).as("first byte differing from task A's firmware").isEqualTo(-1);

        // A newer task for the same product and device starts before the device retries.
        client.createTask("luatres", client.uploadFirmware("luatres", "1001.0.3", "b.bin", b).get("id").asText());

        // The resume continues task A's image from N, not task B's.
        HttpResponse<byte[]> resumed = client.get("http://127.0.0.1:" + system.edgePort() + target, "Range", "bytes=" + n + "-");
        assertThat(resumed.statusCode()).isEqualTo(206);
        assertThat(resumed.headers().firstValue("Content-Range")).hasValue("bytes " + n + "-" + (SIZE - 1) + "/" + SIZE);
        assertThat(resumed.body()).hasSize(SIZE - n);
        assertThat(Arrays.mismatch(resumed.body(), Arrays.copyOfRange(a, n, SIZE)))
                .as("first byte of the resumed body that differs from task A's firmware from N").isEqualTo(-1);

        // The next full download is the newer task's.
        HttpResponse<byte[]> fresh = client.get("http://127.0.0.1:" + system.edgePort() + target);
        assertThat(fresh.statusCode()).isEqualTo(200);
        assertThat(Arrays.mismatch(fresh.body(), b)).as("first byte differing from task B's firmware").isEqualTo(-1);
    }

    /** A socket that has sent LuatOS' own request shape: HTTP/1.1, Connection: Close, no User-Agent. */
    static Socket luatosRequest(String target) throws Exception {
        Socket s = new Socket("127.0.0.1", system.edgePort());
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + system.edgePort() + "\r\nConnection: Close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    /** LuatOS' request, with the connection dropped after the head and {@code n} bytes of a 200's body. */
    static byte[] partialBody(String target, int n) throws Exception {
        try (Socket s = luatosRequest(target)) {
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int last4 = 0;
            int c;
            while (last4 != 0x0d0a0d0a && (c = in.read()) != -1) {
                head.write(c);
                last4 = (last4 << 8) | c;
            }
            assertThat(head.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
            return in.readNBytes(n);
        }
    }

    String deviceToken(String device) throws Exception {
        JsonNode tasks = Json.mapper().readTree(client.adminGet("/admin/v1/products/luat/tasks").body());
        JsonNode progress = Json.mapper().readTree(client.adminGet("/admin/v1/tasks/"
                + tasks.get("items").get(0).get("id").asText() + "/progress").body());
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
        try (Socket s = luatosRequest(target)) {
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
