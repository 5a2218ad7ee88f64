package io.otaedge.conformance.fog;

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
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MXCHIP FOG: the seed's device calls ({@code seeds/mxchip-fog-ota.txt}: {@code GET /api/v1/ota/device/},
 * {@code PUT /api/v1/ota/version/}) around the FOG v2 device SDK's firmware download, replayed.
 *
 * <p>The download reproduces {@code MXCHIP/Fog_v2_MiCOKIT_ENJOY} {@code device_sdk/lib/fog_v2/fog_ota/fog_ota.c}
 * (commit 0ea728e637b57b06e5b3241739821f9c8f6409ad; PROTOCOLS.md's framing): the request is
 * {@code GET /<path> HTTP/1.1}, {@code Host: <host>} (no port), {@code Connection: Keepalive},
 * {@code Range: bytes=<received>-} ({@code bytes=0-} the first time), {@code Accept-Encoding: identity}; only 200
 * or 206 is read; the file's length is the first response's {@code Content-Length} and is kept across resumes;
 * each attempt's bytes are written at the received offset, and the whole run is three attempts ({@code retry < 3})
 * before the md5 of what was written is compared with the check's {@code md5}.
 * That SDK talks to the older FOG v2 cloud (its check reads {@code data.File.fileurl}), downloads only over
 * HTTPS on port 443 and takes only a URL whose file name carries a newer version, so a real board cannot use
 * this server's {@code http://…/ota/download/<token>} as is; the framing is what is replayed here.
 */
class FogV2SdkOtaTest {

    static final String PRODUCT = "fogv2";
    static final byte[] MCU = firmware(120_000);

    @TempDir
    static Path data;
    static ConformanceSystem system;
    static String authorization;
    static String md5;

    @BeforeAll
    static void start() throws Exception {
        system = ConformanceSystem.start(data);
        system.createProduct(PRODUCT);
        authorization = system.admin("POST", "/admin/v1/products/" + PRODUCT + "/fog-token", "", 200).get("authorization").asText();
        md5 = system.uploadFirmware(PRODUCT, "mcu", "1.0.1", "ota.bin", MCU).get("md5").asText();
        // The seed's upload, as an operator sends it, naming the catalog firmware; status 1 puts it online.
        JsonNode file = fog("POST", "/api/v1/ota/" + PRODUCT + "/files/", """
                {"file_name":"ota.bin","file_url":"https://xxx.com/a.bin","md5":"%s","size":"20kb","ug_type":0,"version":"1.0.1","description":"","customize":"xxx","status":1}"""
                .formatted(md5));
        assertThat(file.get("meta").get("code").asInt()).as(file.toString()).isZero();
        assertThat(file.get("meta").get("message").asText()).isEqualTo("upload file ok");
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    @Test
    void checkDownloadWholeThenReportTheNewVersion() throws Exception {
        JsonNode check = check("dev-whole", "1.0.0");
        assertThat(check.get("meta").get("code").asInt()).isZero();
        assertThat(check.get("meta").get("message").asText()).isEqualTo("ota file info");
        assertThat(check.get("data").get("need_ota").asBoolean()).isTrue();
        JsonNode file = check.get("data").get("files").get(0);
        assertThat(file.fieldNames()).toIterable().containsExactly("file_url", "md5", "version", "ota_type", "customize");
        assertThat(file.get("ota_type").asInt()).isZero();
        assertThat(file.get("md5").asText()).isEqualTo(md5);

        Sdk sdk = new Sdk(URI.create(file.get("file_url").asText()));
        assertThat(sdk.attempt(Integer.MAX_VALUE)).isTrue();
        assertThat(sdk.fileLength).isEqualTo(MCU.length);
        assertThat(sdk.md5()).isEqualTo(file.get("md5").asText());

        JsonNode report = fog("PUT", "/api/v1/ota/version/", "{\"device_id\":\"dev-whole\",\"wifi_version\":\"1.0.0\",\"mcu_version\":\"1.0.1\"}");
        assertThat(report.get("meta").get("code").asInt()).isZero();
        assertThat(report.get("meta").get("message").asText()).isEqualTo("update version ok");
        assertThat(report.get("data").isObject()).isTrue();
        assertThat(check("dev-whole", "1.0.1").get("data").get("need_ota").asBoolean()).isFalse();
    }

    @Test
    void twoBrokenAttemptsThenTheThirdCompletesFromWhereTheSecondStopped() throws Exception {
        JsonNode file = check("dev-resume", "1.0.0").get("data").get("files").get(0);
        Sdk sdk = new Sdk(URI.create(file.get("file_url").asText()));
        assertThat(sdk.attempt(30_000)).isFalse();
        int afterFirst = sdk.received.size();
        assertThat(sdk.fileLength).isEqualTo(MCU.length);
        assertThat(sdk.attempt(30_000)).isFalse();
        assertThat(sdk.received.size()).isGreaterThan(afterFirst);
        // Every answer to a Range is a 206 whose length is the rest; the total stays the first answer's.
        assertThat(sdk.statuses).containsExactly(206, 206);
        assertThat(sdk.attempt(Integer.MAX_VALUE)).isTrue();
        assertThat(sdk.statuses).containsExactly(206, 206, 206);
        assertThat(sdk.fileLength).isEqualTo(MCU.length);
        assertThat(sdk.received.toByteArray()).isEqualTo(MCU);
        assertThat(sdk.md5()).isEqualTo(file.get("md5").asText());
    }

    @Test
    void theSeedsExamplesAsWritten() throws Exception {
        String seedToken = "token d79be1d657d9a8b45f6f903620e84b06cbf225e0";
        // GET /oss_token/ota/ with the seed's header: its (made-up) token is refused first.
        RawResponse oss = RawHttp.exchange(system.devicePort(), get("/oss_token/ota/", seedToken));
        assertThat(oss.status()).isEqualTo(401);
        assertThat(Json.mapper().readTree(oss.body()).get("meta").get("code").asInt()).isEqualTo(401);
        // With the product's token: no OSS here, code 501 naming the admin upload.
        RawResponse ours = RawHttp.exchange(system.devicePort(), get("/oss_token/ota/", authorization));
        assertThat(ours.status()).isEqualTo(501);
        JsonNode refusal = Json.mapper().readTree(ours.body());
        assertThat(refusal.get("meta").get("code").asInt()).isEqualTo(501);
        assertThat(refusal.get("meta").get("message").asText()).contains("/admin/v1/products/" + PRODUCT + "/firmwares");

        // The seed's check note, typo and placeholders included, with the seed's token: 401.
        String seedCheck = "/api/v1/ota/devce/?product_id=xxx&wifi_version=xxx&mcu_version=xxx";
        assertThat(RawHttp.exchange(system.devicePort(), get(seedCheck, seedToken)).status()).isEqualTo(401);
        // With this product's token, "xxx" is another product: still 401; a missing version is 10000.
        assertThat(RawHttp.exchange(system.devicePort(), get(seedCheck, authorization)).status()).isEqualTo(401);
        RawResponse missing = RawHttp.exchange(system.devicePort(),
                get("/api/v1/ota/devce/?product_id=" + PRODUCT + "&wifi_version=xxx", authorization));
        assertThat(missing.status()).isEqualTo(200);
        assertThat(Json.mapper().readTree(missing.body()).get("meta").get("code").asInt()).isEqualTo(10000);
        // The typo'd path answers like the real one.
        RawResponse typo = RawHttp.exchange(system.devicePort(),
                get("/api/v1/ota/devce/?product_id=" + PRODUCT + "&wifi_version=xxx&mcu_version=xxx", authorization));
        assertThat(Json.mapper().readTree(typo.body()).get("meta").get("message").asText()).isEqualTo("ota file info");
        // The version report without device_id: 10000.
        JsonNode noDevice = fog("PUT", "/api/v1/ota/version/", "{\"wifi_version\":\"1.0.0\",\"mcu_version\":\"1.0.1\"}");
        assertThat(noDevice.get("meta").get("code").asInt()).isEqualTo(10000);
    }

    /** fog_ota.c's download thread: one call is one attempt; state carries over as the SDK's statics do. */
    static final class Sdk {
        final URI url;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final java.util.List<Integer> statuses = new java.util.ArrayList<>();
        long fileLength;

        Sdk(URI url) {
            this.url = url;
        }

        /** One attempt, the link dropping after {@code cutAfter} body bytes; true when the file is complete. */
        boolean attempt(int cutAfter) throws Exception {
            boolean first = received.size() == 0;
            byte[] request = RawHttp.request(null, "GET /" + url.getRawPath().substring(1) + " HTTP/1.1",
                    "Host: " + url.getHost(), "Connection: Keepalive", "Range: bytes=" + received.size() + "-",
                    "Accept-Encoding: identity");
            RawResponse r = cutAfter == Integer.MAX_VALUE ? RawHttp.exchange(url.getPort(), request)
                    : RawHttp.exchangeCut(url.getPort(), request, cutAfter);
            statuses.add(r.status());
            if (r.status() != 200 && r.status() != 206) {
                return false;
            }
            if (first) {
                fileLength = Long.parseLong(r.headerIgnoringCase("Content-Length"));
            }
            received.write(r.body());
            return received.size() == fileLength;
        }

        String md5() throws Exception {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(received.toByteArray()));
        }
    }

    static JsonNode check(String deviceId, String mcuVersion) throws Exception {
        RawResponse r = RawHttp.exchange(system.devicePort(), get("/api/v1/ota/device/?product_id=" + PRODUCT
                + "&wifi_version=1.0.0&mcu_version=" + mcuVersion + "&device_id=" + deviceId, authorization));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    static byte[] get(String path, String auth) {
        return RawHttp.request(null, "GET " + path + " HTTP/1.1", "Host: 127.0.0.1:" + system.devicePort(),
                "Authorization: " + auth, "Connection: close");
    }

    static JsonNode fog(String method, String path, String json) throws Exception {
        RawResponse r = RawHttp.exchange(system.devicePort(), RawHttp.request(json, method + " " + path + " HTTP/1.1",
                "Host: 127.0.0.1:" + system.devicePort(), "Authorization: " + authorization,
                "Content-Type: application/json", "Content-Length: " + json.getBytes(StandardCharsets.UTF_8).length,
                "Connection: close"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    static byte[] firmware(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 17 + (i >> 7));
        }
        return b;
    }
}
