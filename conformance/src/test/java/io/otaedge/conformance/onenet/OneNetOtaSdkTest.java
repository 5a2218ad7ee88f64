package io.otaedge.conformance.onenet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.conformance.ConformanceSystem;
import io.otaedge.conformance.RawHttp;
import io.otaedge.conformance.RawResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OneNET's official OTA SDK for the south API ({@code ota_api.h}: {@code OTA_HOST "ota.heclouds.com"},
 * {@code OTA_MANUF "001"}, {@code OTA_MODEL "00108"}, {@code TASK_CHECK_NO_TASK 11}; its packet builder with
 * {@code otaPack_Submit_Version}, {@code otaPack_Check_Task}, {@code otaPack_Validate_Token},
 * {@code otaPack_Download_Package}, {@code otaPack_Update_Progress}; its receiver's http_parser callbacks,
 * which take the body length only from a header named exactly {@code Content-Length}). Found by a code
 * search for {@code ota/south/check}; the public copies did not name their repository in the index. Replayed:
 * <ul>
 * <li>every request: the request line, then {@code host: …}, {@code Content-Type: application/json},
 * {@code Connection: keep-alive}, {@code authorization: …} (lowercase names), {@code Content-Length} and a
 * body where there is one; the check {@code GET /ota/south/check?dev_id&manuf&model&type&version}
 * <em>without {@code cdn}</em>; downloads with {@code Range: bytes=a-b} (and {@code ?s_id=}) and the
 * authorization;</li>
 * <li>its reading: JSON {@code errno} 0 or 11 and the task's fields; a download answer must name
 * {@code Content-Length} exactly, and its {@code Content-Range} must be the range asked for;</li>
 * <li>its cycle: version, check, token check, segments with a progress step after each (one of them cut and
 * asked again), report code 201 on the progress call, the new version, and a check that finds no task.</li>
 * </ul>
 * The SDK's {@code authorization} is configured into it; this test uses OneNET's documented product token
 * (sha1, the SDK's default expiry {@code 2524579200}). Downloads go to the edge's port for now. Versions are
 * plain and distinct (1.0 → 2.0).
 */
class OneNetOtaSdkTest {

    private static final String DEV_ID = "32981907";
    private static final int SIZE = 5000;
    private static final int SEGMENT = 1024;

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
        auth = device.authorization(2524579200L);
        firmware = new byte[SIZE];
        new Random(34).nextBytes(firmware);
        String fw = system.uploadFirmware(device.productId, "default", "2.0", "app.bin", firmware).get("id").asText();
        system.createTask(device.productId, "{\"firmwareId\":\"" + fw + "\",\"type\":2}");
    }

    @Test
    void theSdksCycleCompletesWithoutEverSendingCdn() throws Exception {
        assertThat(json(control("POST /ota/device/version?dev_id=" + DEV_ID, "{\"s_version\":\"1.0\"}")).get("errno").asInt())
                .isZero();

        JsonNode check = json(control(checkLine("1.0"), null));
        assertThat(check.get("errno").asInt()).as(check.toString()).isZero();
        JsonNode task = check.get("data");
        assertThat(task.get("target").asText()).isEqualTo("2.0");
        assertThat(task.get("size").asInt()).isEqualTo(SIZE);
        assertThat(task.get("type").asInt()).isEqualTo(1);
        assertThat(task.get("ipPort").asText()).as("no cdn: an address usable without DNS")
                .isEqualTo("127.0.0.1:" + system.edgePort());
        String token = task.get("token").asText();

        assertThat(json(control("GET /ota/south/download/" + token + "/check?dev_id=" + DEV_ID, null)).get("errno").asInt())
                .isZero();

        MessageDigest md5 = MessageDigest.getInstance("MD5");
        int start = 0;
        boolean cut = false;
        while (start < SIZE) {
            int end = Math.min(start + SEGMENT, SIZE) - 1;
            byte[] request = head("GET /ota/south/download/" + token + (start == 0 ? "?s_id=1212" : ""),
                    "Range: bytes=" + start + "-" + end + "\r\n\r\n");
            if (!cut && start >= 2 * SEGMENT) {
                assertThat(RawHttp.exchangeCut(system.edgePort(), request, 10).status()).isEqualTo(206);
                cut = true;
                continue;
            }
            RawResponse r = RawHttp.exchange(system.edgePort(), request);
            assertThat(r.status()).isEqualTo(206);
            assertThat(r.headerExact("Content-Length")).as("strcmp(field, \"Content-Length\")")
                    .isEqualTo(Integer.toString(end - start + 1));
            assertThat(new String(r.raw(), 0, Math.min(512, r.raw().length), StandardCharsets.ISO_8859_1))
                    .contains("\r\nContent-Length: ");
            assertThat(r.headerExact("Content-Range")).isEqualTo("bytes " + start + "-" + end + "/" + SIZE);
            assertThat(r.body()).isEqualTo(Arrays.copyOfRange(firmware, start, end + 1));
            md5.update(r.body());
            start = end + 1;
            int step = start * 100 / SIZE;
            assertThat(json(progress(token, step)).get("errno").asInt()).as("step " + step).isZero();
        }
        assertThat(cut).isTrue();
        assertThat(HexFormat.of().formatHex(md5.digest())).isEqualTo(task.get("md5").asText());

        assertThat(json(progress(token, 201)).get("errno").asInt()).as("report code 201").isZero();
        assertThat(json(control("POST /ota/device/version?dev_id=" + DEV_ID, "{\"s_version\":\"2.0\"}")).get("errno").asInt())
                .isZero();
        assertThat(json(control(checkLine("2.0"), null)).get("errno").asInt()).as("TASK_CHECK_NO_TASK").isEqualTo(11);
    }

    @Test
    void refusalsAndDownloadErrorsAreWhatTheSdkExpects() throws Exception {
        String good = auth;
        auth = auth.replace("&sign=", "&sign=x");
        assertThat(json(control(checkLine("1.0"), null)).get("errno").asInt()).isEqualTo(1);
        auth = good;
        assertThat(json(control("GET /ota/south/check?dev_id=" + DEV_ID + "&model=00108&type=2&version=1.0", null))
                .get("errno").asInt()).as("no manuf").isEqualTo(2);

        // an error download carries no Content-Length: the SDK's "packet wrong"; the byte says why (3: invalid token)
        RawResponse unknown = RawHttp.exchange(system.edgePort(),
                head("GET /ota/south/download/ota_AAAAAAAAAAAAAAAAAAAAAA", "Range: bytes=0-1023\r\n\r\n"));
        assertThat(unknown.headerIgnoringCase("Content-Length")).isNull();
        assertThat(unknown.bodyText()).isEqualTo("3");
    }

    /**
     * The seed's POST example ({@code seeds/onenet-south-check.txt}), comments and all, gets the seed's reply:
     * errno 0, "succ" and the data block, its fields in the order AT firmware scans them.
     */
    @Test
    void theSeedsExampleRequestAsWrittenGetsTheSeedsAnswer() throws Exception {
        String fota = system.uploadFirmware(device.productId, "default", "3.0", "fw.bin", firmware).get("id").asText();
        system.createTask(device.productId, "{\"firmwareId\":\"" + fota + "\",\"type\":1}");
        String example = """
                {
                "dev_id": 6523, //must be filled, device ID
                "manuf": "China Mobile",//must be filled, the code corresponding to manufacturer name
                "model": "M5310", //must be filled, code corresponding to module name
                "type": 1, //1: fota task, 2: sota task
                "version":"1.2" , //must be filled, device current version number
                "signals": 10, //optional, signal strength
                "powers":30, //optional, percentage of remaining power value
                "cdn": true //whether to return to pull the upgrade package ip.
                }""";

        RawResponse r = RawHttp.exchange(system.devicePort(), RawHttp.request(example, "POST /ota/south/check HTTP/1.1",
                "Host: ota.heclouds.com", "Content-Type: application/json", "Authorization: " + auth,
                "Content-Length: " + example.getBytes(StandardCharsets.UTF_8).length));
        JsonNode reply = json(r);
        assertThat(reply.get("errno").asInt()).as(reply.toString()).isZero();
        assertThat(reply.get("error").asText()).isEqualTo("succ");
        assertThat(reply.get("data").fieldNames()).toIterable()
                .containsExactly("target", "token", "size", "md5", "signal", "power", "retry", "interval", "ipPort", "type");
        assertThat(reply.get("data").get("target").asText()).isEqualTo("3.0");
        assertThat(reply.get("data").get("ipPort").asText()).as("cdn: true").isEqualTo("127.0.0.1:" + system.edgePort());
    }

    private String checkLine(String version) {
        return "GET /ota/south/check?dev_id=" + DEV_ID + "&manuf=001&model=00108&type=2&version=" + version;
    }

    /** {@code otaPack_Update_Progress}: Content-Length 10, 11 or 12 by the step's digits. */
    private RawResponse progress(String token, int step) throws Exception {
        return control("POST /ota/south/device/download/" + token + "/progress?dev_id=" + DEV_ID, "{\"step\":" + step + "}");
    }

    /** {@code _OTA_Pack_Common_Header_}, then {@code _OTA_Pack_Length_} and the body, or the blank line. */
    private RawResponse control(String requestLine, String body) throws Exception {
        String rest = body == null ? "\r\n" : "Content-Length: " + body.length() + "\r\n\r\n" + body;
        return RawHttp.exchange(system.devicePort(), head(requestLine, rest));
    }

    private byte[] head(String requestLine, String rest) {
        return (requestLine + " HTTP/1.1\r\nhost: ota.heclouds.com\r\nContent-Type: application/json\r\n"
                + "Connection: keep-alive\r\nauthorization: " + auth + "\r\n" + rest).getBytes(StandardCharsets.US_ASCII);
    }

    private static JsonNode json(RawResponse r) throws Exception {
        assertThat(r.headerExact("Content-Length")).as(r.text()).isNotNull();
        return Json.mapper().readTree(r.body());
    }
}
