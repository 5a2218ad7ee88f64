package io.otaedge.conformance.aliyun;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.conformance.ConformanceSystem;
import io.otaedge.conformance.RawHttp;
import io.otaedge.conformance.RawResponse;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Aliyun Living: the Living SDK's uOTA HTTP download client, replayed, inside the seed's app/operator cycle
 * ({@code seeds/aliyun-living-progress.txt}: {@code /living/ota/firmware/file/get}, {@code progress/get},
 * {@code progress/report}).
 *
 * <p>Reproduces {@code fengfeng0328/ali-smartliving-device-alios-things}
 * {@code Living_SDK/framework/uOTA/src/download/ota_download_http.c} (commit d5c691d96ec2e16d567ae163f8f177bd777d88fc),
 * and the same file in {@code alibaba/AliOS-Things} {@code framework/uOTA/src/download/ota_download_http.c}
 * (commit 047fd779b6fb068342c3fe9a6598116af3e1be19), which differs only in its read size. What they do:
 * <ul>
 *   <li>the request is their {@code HTTP_HEADER} template: {@code GET /<path> HTTP/1.1}, {@code Accept:*}{@code /*}
 *       (no space), {@code User-Agent: Mozilla/5.0}, {@code Cache-Control: no-cache}, {@code Connection: close},
 *       {@code Host:<host>:<port>} (no space); a resume ({@code HTTP_HEADER_RESUME}) adds
 *       {@code Range: bytes=<breakpoint>-} before {@code Host}; the first request carries no Range at all;</li>
 *   <li>the answer is read in {@code recv}s of 512 bytes (1460 in AliOS-Things); until the head's end is found,
 *       each read is searched for {@code "Content-Length:"} (case-sensitive) and read with
 *       {@code sscanf("%*[^ ]%d")} (so a space after the colon is needed), and for CRLFCRLF within that read;</li>
 *   <li>the status code is never looked at; the body is hashed as it arrives, the download ends when the body
 *       bytes of this response equal its {@code Content-Length}; a resume continues the saved hash context, so
 *       the bytes must start exactly at the breakpoint; the digest is compared with the pushed {@code sign}.</li>
 * </ul>
 */
class LivingSdkUotaDownloadTest {

    static final String PRODUCT = "a1LivingSdk";
    static final String DEVICE = "smart-outlet-01";
    static final byte[] FIRMWARE = firmware(150_000);

    @TempDir
    static Path data;
    static ConformanceSystem system;
    static String iotToken;
    static String iotId;

    @BeforeAll
    static void start() throws Exception {
        system = ConformanceSystem.start(data);
        system.createProduct(PRODUCT);
        JsonNode token = system.admin("GET", "/admin/v1/products/" + PRODUCT + "/aliyun-token?deviceName=" + DEVICE, null, 200);
        iotToken = token.get("iotToken").asText();
        iotId = token.get("iotId").asText();
        JsonNode fw = system.uploadFirmware(PRODUCT, "default", "2.0.0", "living_outlet_2.0.0.bin", FIRMWARE);
        system.createTask(PRODUCT, "{\"firmwareId\":\"" + fw.get("id").asText() + "\"}");
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    @Test
    void theSeedsCycleAroundTheSdksWholeDownload() throws Exception {
        // The app asks for the device's pending firmware (the seed's envelope; HTTP 200 with code 200).
        JsonNode file = living("/living/ota/firmware/file/get", "{\"iotId\":\"" + iotId + "\",\"currentVersion\":\"1.0.0\"}");
        assertThat(file.get("code").asInt()).as(file.toString()).isEqualTo(200);
        JsonNode pending = file.get("data");
        assertThat(pending.get("version").asText()).isEqualTo("2.0.0");
        assertThat(pending.get("size").asText()).isEqualTo(Integer.toString(FIRMWARE.length));
        assertThat(pending.get("signMethod").asText()).isEqualTo("MD5");
        assertThat(living("/living/ota/progress/get", "{\"iotId\":\"" + iotId + "\"}").get("data").get("status").asText())
                .isEqualTo("TO_BE_UPGRADED");

        // The SDK downloads the url whole, reading as its loop does.
        URI url = URI.create(pending.get("url").asText());
        RawResponse answer = RawHttp.exchange(url.getPort(), firstRequest(url));
        Download d = Download.read(answer.raw(), 512);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(d.fileSize).isEqualTo(FIRMWARE.length);
        assertThat(d.complete()).isTrue();
        assertThat(md5Hex(d.body.toByteArray())).isEqualTo(pending.get("sign").asText());

        // The device reports through the app's progress call, then its new version (the only proof of success).
        report("50");
        assertThat(living("/living/ota/progress/get", "{\"iotId\":\"" + iotId + "\"}").get("data").get("status").asText())
                .isEqualTo("UPGRADING");
        report("100");
        JsonNode done = living("/living/ota/progress/get", "{\"iotId\":\"" + iotId + "\",\"currentVersion\":\"2.0.0\"}").get("data");
        assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.get("step").asInt()).isEqualTo(100);
        // Up to date: nothing pending any more.
        assertThat(living("/living/ota/firmware/file/get", "{\"iotId\":\"" + iotId + "\"}").get("data").isNull()).isTrue();
    }

    @ParameterizedTest(name = "reads of {0} bytes")
    @ValueSource(ints = {512, 1460})
    void aCutDownloadResumesFromItsBreakpointAndTheDigestStillMatches(int readSize) throws Exception {
        String device = "resume-" + readSize;
        JsonNode pending = living("/living/ota/firmware/file/get",
                "{\"productKey\":\"" + PRODUCT + "\",\"deviceName\":\"" + device + "\",\"currentVersion\":\"1.0.0\"}").get("data");
        URI url = URI.create(pending.get("url").asText());

        int cut = 40_000 + readSize;
        Download first = Download.read(RawHttp.exchangeCut(url.getPort(), firstRequest(url), cut).raw(), readSize);
        int breakpoint = first.body.size();
        assertThat(breakpoint).isBetween(1, FIRMWARE.length - 1);

        RawResponse resumed = RawHttp.exchange(url.getPort(), resumeRequest(url, breakpoint));
        Download rest = Download.read(resumed.raw(), readSize);
        assertThat(resumed.status()).isEqualTo(206);
        assertThat(rest.fileSize).isEqualTo(FIRMWARE.length - breakpoint);
        assertThat(rest.complete()).isTrue();

        byte[] whole = concat(first.body.toByteArray(), rest.body.toByteArray());
        assertThat(whole).isEqualTo(FIRMWARE);
        assertThat(md5Hex(whole)).isEqualTo(pending.get("sign").asText());
    }

    @Test
    void theSdksReadLoopFindsContentLengthAndTheHeadsEndInBothAnswers() throws Exception {
        JsonNode pending = living("/living/ota/firmware/file/get",
                "{\"productKey\":\"" + PRODUCT + "\",\"deviceName\":\"head-check\",\"currentVersion\":\"1.0.0\"}").get("data");
        URI url = URI.create(pending.get("url").asText());
        for (int breakpoint : new int[] {0, 1, 100_000}) {
            byte[] request = breakpoint == 0 ? firstRequest(url) : resumeRequest(url, breakpoint);
            RawResponse r = RawHttp.exchange(url.getPort(), request);
            // Found only if "Content-Length:" and CRLFCRLF each lie within one 512-byte read, with a space after the colon.
            Download d = Download.read(r.raw(), 512);
            assertThat(d.headerFound).as(r.text().substring(0, r.headEnd())).isTrue();
            assertThat(d.fileSize).isEqualTo(FIRMWARE.length - breakpoint);
            assertThat(d.complete()).isTrue();
            assertThat(r.headerExact("Content-Length")).isEqualTo(Integer.toString(FIRMWARE.length - breakpoint));
        }
    }

    @Test
    void refusalsComeInTheSeedsEnvelope() throws Exception {
        // The seed's own example as written: a made-up iotId and the token "token".
        JsonNode seed = Json.mapper().readTree(RawHttp.exchange(system.devicePort(), post("/living/ota/progress/get", """
                {
                	"id": "1509086454180",
                	"version": "1.0",
                	"request":{
                		"apiVer": "1.0.0",
                		"iotToken": "token"
                	},
                	"params":{
                		"iotId": "7bvbyRItBXQxxxxxxQt9X00109ea700",
                		"productKey": "a1LxxxxXUqY",
                		"deviceName": "wt0jxxxxxxxnU0pc4AHX",
                		"moduleName": "default",
                		"currentVersion": "v1.0.0",
                		"firmwareVersion": "v1.0.0"
                	}
                }""")).body());
        assertThat(seed.get("code").asInt()).isEqualTo(403);
        assertThat(seed.get("message").asText()).isEqualTo("request forbidden.");
        assertThat(seed.get("localizedMsg").asText()).isEqualTo("请求被禁止");
        assertThat(seed.get("data").isNull()).isTrue();
        // With the product's token, a bad step is a parameter error (460), in the same envelope.
        JsonNode bad = living("/living/ota/progress/report", "{\"iotId\":\"" + iotId + "\",\"firmwareVersion\":\"2.0.0\",\"step\":\"ten\"}");
        assertThat(bad.get("code").asInt()).isEqualTo(460);
        assertThat(bad.get("data").isNull()).isTrue();
    }

    // --- the SDK's request bytes -----------------------------------------------------------------------------

    static byte[] firstRequest(URI url) {
        return RawHttp.request(null, "GET " + url.getRawPath() + " HTTP/1.1", "Accept:*/*", "User-Agent: Mozilla/5.0",
                "Cache-Control: no-cache", "Connection: close", "Host:" + url.getHost() + ":" + url.getPort());
    }

    static byte[] resumeRequest(URI url, int breakpoint) {
        return RawHttp.request(null, "GET " + url.getRawPath() + " HTTP/1.1", "Accept:*/*", "User-Agent: Mozilla/5.0",
                "Cache-Control: no-cache", "Connection: close", "Range: bytes=" + breakpoint + "-",
                "Host:" + url.getHost() + ":" + url.getPort());
    }

    // --- the SDK's way of reading the answer -----------------------------------------------------------------

    /** The download loop's view of one response, fed the received bytes in reads of {@code readSize}. */
    static final class Download {
        int fileSize;
        boolean headerFound;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        static Download read(byte[] received, int readSize) {
            Download d = new Download();
            for (int off = 0; off < received.length; off += readSize) {
                byte[] chunk = Arrays.copyOfRange(received, off, Math.min(received.length, off + readSize));
                if (d.headerFound) {
                    d.body.write(chunk, 0, chunk.length);
                    if (d.body.size() == d.fileSize) {
                        break;
                    }
                    continue;
                }
                String text = new String(chunk, StandardCharsets.ISO_8859_1);
                int cl = text.indexOf("Content-Length:");
                if (d.fileSize == 0 && cl >= 0) {
                    d.fileSize = scanAfterFirstSpace(text.substring(cl));
                }
                int end = text.indexOf("\r\n\r\n");
                if (end >= 0) {
                    d.headerFound = true;
                    d.body.write(chunk, end + 4, chunk.length - end - 4);
                }
            }
            return d;
        }

        /** {@code sscanf(p, "%*[^ ]%d")}: skip to the first space, then an optional run of spaces, then digits. */
        static int scanAfterFirstSpace(String s) {
            int i = s.indexOf(' ');
            if (i <= 0) {
                return 0;
            }
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            return i == start ? 0 : Integer.parseInt(s.substring(start, i));
        }

        boolean complete() {
            return headerFound && fileSize > 0 && body.size() == fileSize;
        }
    }

    // --- the seed's app calls ---------------------------------------------------------------------------------

    static JsonNode living(String path, String params) throws Exception {
        RawResponse r = RawHttp.exchange(system.devicePort(), post(path, """
                {"id":"1509086454180","version":"1.0","request":{"apiVer":"1.0.0","iotToken":"%s"},"params":%s}"""
                .formatted(iotToken, params)));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    static void report(String step) throws Exception {
        JsonNode r = living("/living/ota/progress/report",
                "{\"iotId\":\"" + iotId + "\",\"firmwareVersion\":\"2.0.0\",\"step\":\"" + step + "\",\"desc\":\"\"}");
        assertThat(r.get("code").asInt()).as(r.toString()).isEqualTo(200);
    }

    static byte[] post(String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return RawHttp.request(json, "POST " + path + " HTTP/1.1", "Host: 127.0.0.1:" + system.devicePort(),
                "Content-Type: application/json", "Content-Length: " + body.length, "Connection: close");
    }

    static byte[] firmware(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + (i >> 8));
        }
        return b;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String md5Hex(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }
}
