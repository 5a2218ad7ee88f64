package io.otaedge.conformance.onenet;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.conformance.ConformanceSystem;
import io.otaedge.conformance.RawHttp;
import io.otaedge.conformance.RawResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OneNET's OTA demo for AT-command modules (an STM32/GD32 MCU driving an ESP8266 or cellular module through
 * AT commands): {@code ota.c}, "作者 张继瑞, 日期 2019-07-31, 版本 V1.0", with {@code OTA_ReportVersion},
 * {@code OTA_Check}, {@code OTA_CheckToken}, {@code OTA_Download_Range}, {@code OTA_Report_DownloadProgress},
 * {@code OTA_Report} and {@code OTA_Process}; found by a code search for {@code ota/south/check} (the public
 * copies did not name their repository in the index). Replayed here:
 * <ul>
 * <li>its request bytes: {@code Name:value} with no space after the colon, {@code Authorization} before
 * {@code Host}, the check's query {@code dev_id&manuf=100&model=10001&type=2&version&cdn=false}, downloads
 * with {@code Range:bytes=a-b} and no {@code Authorization}, bodies with their hand-counted
 * {@code Content-Length};</li>
 * <li>its reading of our answers: {@code strstr(answer, "succ")} for version, token check, progress and
 * report; {@code strstr(answer, "target")} then {@code sscanf("target\":\"%[^\"]\",\"token\":\"%[^\"]\",
 * \"size\":%d,\"md5\":\"%[^\"]\",")} for the check; errors through
 * {@code sscanf("errno\":%d,\"error\":\"%[^\"]\"")}; a 206's body at 4 bytes past the CRLF that follows the
 * first {@code Range} in the answer, checked at the end against the check's md5;</li>
 * <li>its cycle ({@code OTA_Process}): version report, check, token check, 1024-byte ranges each followed by a
 * progress report of {@code bytes * 100 / size}, then {@code OTA_Report} 101 and 201, and after the reboot the
 * new version reported.</li>
 * </ul>
 * Like the module, which knows one {@code OTA_IP:80}, every call goes to one address: the edge's port (the
 * standalone fronts OneNET's API calls there). Versions are plain and distinct (1.0 → 2.0).
 */
class OneNetAtFirmwareTest {

    private static final String DEV_ID = "566468806";
    private static final int SIZE = 5000;
    private static final int CHUNK = 1024;
    private static final Pattern CHECK = Pattern.compile(
            "target\":\"([^\"]*)\",\"token\":\"([^\"]*)\",\"size\":(-?\\d+),\"md5\":\"([^\"]*)\",");
    private static final Pattern ERROR = Pattern.compile("errno\":(\\d+),\"error\":\"([^\"]*)\"");

    @TempDir
    static Path dir;
    static ConformanceSystem system;

    OneNetDevice device;
    String auth;
    byte[] firmware;

    @BeforeAll
    static void start() {
        system = ConformanceSystem.start(dir);
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    @BeforeEach
    void sotaTask() throws Exception {
        device = OneNetDevice.product(system);
        auth = device.authorization(System.currentTimeMillis() / 1000 + 3600);
        firmware = new byte[SIZE];
        new Random(12).nextBytes(firmware);
        String fw = system.uploadFirmware(device.productId, "default", "2.0", "app.bin", firmware).get("id").asText();
        system.createTask(device.productId, "{\"firmwareId\":\"" + fw + "\",\"type\":2}");
    }

    @Test
    void theWholeCycleOfOtaProcessCompletes() throws Exception {
        assertThat(reportVersion("1.0").text()).contains("succ");

        RawResponse check = host("GET /ota/south/check?dev_id=" + DEV_ID + "&manuf=100&model=10001&type=2&version=1.0"
                + "&cdn=false HTTP/1.1\r\nAuthorization:" + auth + "\r\nHost:ota.heclouds.com\r\n\r\n", null);
        String answer = check.text();
        int target = answer.indexOf("target");
        assertThat(target).as(answer).isPositive();
        Matcher m = CHECK.matcher(answer).region(target, answer.length());
        assertThat(m.lookingAt()).as("sscanf reads 4 fields from " + answer).isTrue();
        assertThat(m.group(1)).isEqualTo("2.0");
        String token = m.group(2);
        // It keeps the token in a 24-byte field of its flash parameters, and resumes after a power loss
        // only with a token of exactly that length.
        assertThat(token).hasSize(24);
        assertThat(Integer.parseInt(m.group(3))).isEqualTo(SIZE);
        String md5 = m.group(4);

        assertThat(host("GET /ota/south/download/" + token + "/check?dev_id=" + DEV_ID + " HTTP/1.1\r\nAuthorization:"
                + auth + "\r\nHost:ota.heclouds.com\r\n\r\n", null).text()).contains("succ");

        MessageDigest digest = MessageDigest.getInstance("MD5");
        int bytes = 0;
        boolean cut = false;
        while (bytes < SIZE) {
            int last = Math.min(bytes + CHUNK, SIZE) - 1;
            byte[] request = RawHttp.request(null, "GET /ota/south/download/" + token + " HTTP/1.1",
                    "Range:bytes=" + bytes + "-" + last, "Host:ota.heclouds.com");
            if (!cut && bytes >= 2 * CHUNK) {
                // the link drops once the answer started: the device asks for the same range again
                assertThat(RawHttp.exchangeCut(system.edgePort(), request, 100).status()).isEqualTo(206);
                cut = true;
                continue;
            }
            RawResponse r = RawHttp.exchange(system.edgePort(), request);
            assertThat(r.status()).isEqualTo(206);
            byte[] body = bodyAfterFirstRange(r.raw(), last - bytes + 1);
            assertThat(body).isEqualTo(Arrays.copyOfRange(firmware, bytes, last + 1));
            digest.update(body);
            bytes = last + 1;
            int step = (int) ((float) bytes / SIZE * 100);
            assertThat(progress(token, step).text()).as("step " + step).contains("succ");
        }
        assertThat(cut).isTrue();
        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(md5);

        assertThat(report(token, 101).text()).as("OTA_Report 101").contains("succ");
        assertThat(report(token, 201).text()).as("OTA_Report 201").contains("succ");
        assertThat(reportVersion("2.0").text()).contains("succ");

        RawResponse again = host("GET /ota/south/check?dev_id=" + DEV_ID + "&manuf=100&model=10001&type=2&version=2.0"
                + "&cdn=false HTTP/1.1\r\nAuthorization:" + auth + "\r\nHost:ota.heclouds.com\r\n\r\n", null);
        assertThat(again.text()).doesNotContain("target");
        assertThat(errno(again)).isEqualTo(11);
    }

    @Test
    void refusalsComeAsErrnoAndErrorItsSscanfReads() throws Exception {
        String forged = auth.substring(0, auth.indexOf("&sign=")) + "&sign=AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D";
        RawResponse badAuth = host("GET /ota/south/check?dev_id=" + DEV_ID + "&manuf=100&model=10001&type=2&version=1.0"
                + "&cdn=false HTTP/1.1\r\nAuthorization:" + forged + "\r\nHost:ota.heclouds.com\r\n\r\n", null);
        assertThat(errno(badAuth)).isEqualTo(1);
        assertThat(badAuth.text()).doesNotContain("succ").doesNotContain("target");

        RawResponse badParams = host("GET /ota/south/check?dev_id=" + DEV_ID + "&manuf=100&model=10001&type=3&version=1.0"
                + "&cdn=false HTTP/1.1\r\nAuthorization:" + auth + "\r\nHost:ota.heclouds.com\r\n\r\n", null);
        assertThat(errno(badParams)).isEqualTo(2);

        RawResponse badVersion = host("GET /ota/south/check?dev_id=" + DEV_ID + "&manuf=100&model=10001&type=2"
                + "&version=1.0%2B%2B&cdn=false HTTP/1.1\r\nAuthorization:" + auth + "\r\nHost:ota.heclouds.com\r\n\r\n", null);
        assertThat(errno(badVersion)).isEqualTo(27);

        // an unknown token: no Content-Length and one byte, "3" (invalid token), then the connection closes
        RawResponse unknown = RawHttp.exchange(system.edgePort(), RawHttp.request(null,
                "GET /ota/south/download/ota_AAAAAAAAAAAAAAAAAAAAAA HTTP/1.1", "Range:bytes=0-1023", "Host:ota.heclouds.com"));
        assertThat(unknown.headerIgnoringCase("Content-Length")).isNull();
        assertThat(unknown.bodyText()).isEqualTo("3");
    }

    /** {@code strstr(answer, "Range")}, {@code strstr(that, "\r\n")}, then 4 bytes on: {@code length} bytes of firmware. */
    private static byte[] bodyAfterFirstRange(byte[] answer, int length) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\r\n", text.indexOf("Range")) + 4;
        return Arrays.copyOfRange(answer, at, at + length);
    }

    private RawResponse reportVersion(String version) throws Exception {
        String body = "{\"s_version\":\"" + version + "\"}";
        return host("POST /ota/device/version?dev_id=" + DEV_ID + " HTTP/1.1\r\nAuthorization:" + auth
                + "\r\nHost:ota.heclouds.com\r\nContent-Type:application/json\r\nContent-Length:" + (version.length() + 16)
                + "\r\n\r\n", body);
    }

    /** {@code OTA_Report_DownloadProgress}: Content-Length is 9 plus the step's digits. */
    private RawResponse progress(String token, int step) throws Exception {
        String body = "{\"step\":" + step + "}";
        int digits = step < 10 ? 1 : step < 100 ? 2 : 3;
        return host("POST /ota/south/device/download/" + token + "/progress?dev_id=" + DEV_ID + " HTTP/1.1\r\n"
                + "Authorization:" + auth + "\r\nHost:ota.heclouds.com\r\nContent-Type:application/json\r\nContent-Length:"
                + (9 + digits) + "\r\n\r\n", body);
    }

    /** {@code OTA_Report}: a fixed Content-Length of 14, right for three-digit codes. */
    private RawResponse report(String token, int status) throws Exception {
        return host("POST /ota/south/report?dev_id=" + DEV_ID + "&token=" + token + " HTTP/1.1\r\nAuthorization:"
                + auth + "\r\nHost:ota.heclouds.com\r\nContent-Type:application/json\r\nContent-Length:14\r\n\r\n",
                "{\"result\":" + status + "}");
    }

    /** The one host the module is configured with, for every call: the edge, which forwards OneNET's API calls. */
    private static RawResponse host(String head, String body) throws Exception {
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(h, h.length + b.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        return RawHttp.exchange(system.edgePort(), all);
    }

    private static int errno(RawResponse r) {
        String text = r.text();
        Matcher m = ERROR.matcher(text).region(Math.max(0, text.indexOf("errno")), text.length());
        assertThat(m.lookingAt()).as(text).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
