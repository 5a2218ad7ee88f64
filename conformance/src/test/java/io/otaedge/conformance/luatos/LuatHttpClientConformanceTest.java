package io.otaedge.conformance.luatos;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.conformance.ConformanceSystem;
import io.otaedge.conformance.RawHttp;
import io.otaedge.conformance.RawResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LuatOS' HTTP client, {@code components/network/libhttp/luat_http_client.c} of {@code openLuat/LuatOS}
 * (commit f9601cc1274611b0804b208733dddf23073c4d07), which every LuatOS fota request goes through: its exact
 * request bytes ({@link LuatHttpClient}) at the edge's LuatOS route, and the answer read as its fota mode
 * reads it (status 200 or 206 only, {@code Content-Length} found case-insensitively, the head inside its
 * 2048-byte buffer, a short body a failure). Covers its two ways to resume: Lua mode's own retry, which adds
 * {@code Range: bytes=<received>-} after {@code Host}, and the C SDK's data mode
 * ({@code luat_http_client_set_get_offset}), which adds it with {@code Accept: application/octet-stream}.
 */
class LuatHttpClientConformanceTest {

    static final String PRODUCT = "luatc";
    static final int SIZE = 300_000;

    @TempDir
    static Path dataDir;
    static ConformanceSystem system;
    static byte[] firmware;
    static String projectKey;

    @BeforeAll
    static void start() throws Exception {
        system = ConformanceSystem.start(dataDir);
        system.createProduct(PRODUCT);
        firmware = new byte[SIZE];
        new Random(5).nextBytes(firmware);
        String id = system.uploadFirmware(PRODUCT, "default", "1003.2.0", "luatc.bin", firmware).get("id").asText();
        system.createTask(PRODUCT, "{\"firmwareId\":\"" + id + "\"}");
        projectKey = system.admin("GET", "/admin/v1/products/" + PRODUCT + "/luatos-key", null, 200)
                .get("projectKey").asText();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    static LuatHttpClient.Target target(String host, String imei) {
        return LuatHttpClient.Target.of("http://" + host + "/api/site/firmware_upgrade?imei=" + imei + "&project_key="
                + projectKey + "&firmware_name=luatc_LuatOS-SoC_EC618&version=1003.001.000");
    }

    static String edge() {
        return "127.0.0.1:" + system.edgePort();
    }

    @Test
    void theLuaModeRequestGets200WithALengthTheClientFindsAndAHeadInsideItsBuffer() throws Exception {
        byte[] request = LuatHttpClient.luaRequest("GET", target(edge(), "861551056423001"), -1);
        assertThat(new String(request, StandardCharsets.ISO_8859_1)).isEqualTo("GET /api/site/firmware_upgrade?imei="
                + "861551056423001&project_key=" + projectKey + "&firmware_name=luatc_LuatOS-SoC_EC618&version=1003.001.000"
                + " HTTP/1.1\r\nConnection: Close\r\nHost: " + edge() + "\r\n\r\n");
        RawResponse r = RawHttp.exchange(system.edgePort(), request);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headerIgnoringCase("Transfer-Encoding")).isNull();
        assertThat(LuatHttpClient.contentLength(r)).isEqualTo(SIZE);
        assertThat(r.headEnd() + 4).isLessThan(LuatHttpClient.RESP_BUFF_SIZE);
        LuatHttpClient.FotaRead read = LuatHttpClient.readAsFota(r);
        assertThat(read.code()).isEqualTo(200);
        assertThat(read.bodyLength()).isEqualTo(SIZE);
        assertThat(read.flashed()).isEqualTo(firmware);
    }

    @Test
    void aBodyShorterThanItsContentLengthIsHttpErrorFotaNeverAFlash() throws Exception {
        RawResponse cut = RawHttp.exchangeCut(system.edgePort(),
                LuatHttpClient.luaRequest("GET", target(edge(), "861551056423002"), -1), 50_000);
        assertThat(cut.status()).isEqualTo(200);
        assertThat(LuatHttpClient.readAsFota(cut).code()).isEqualTo(LuatHttpClient.HTTP_ERROR_FOTA);
    }

    @Test
    void theLuaModeRetryAsksForTheRestWithRangeAfterHostAndGets206() throws Exception {
        LuatHttpClient.Target t = target(edge(), "861551056423003");
        int n = 70_000;
        RawResponse first = RawHttp.exchangeCut(system.edgePort(), LuatHttpClient.luaRequest("GET", t, -1), n);
        assertThat(first.status()).isEqualTo(200);

        byte[] retry = LuatHttpClient.luaRequest("GET", t, n);
        assertThat(new String(retry, StandardCharsets.ISO_8859_1))
                .endsWith("\r\nConnection: Close\r\nHost: " + edge() + "\r\nRange: bytes=" + n + "-\r\n\r\n");
        RawResponse rest = RawHttp.exchange(system.edgePort(), retry);
        assertThat(rest.status()).isEqualTo(206);
        assertThat(rest.headerExact("Content-Range")).isEqualTo("bytes " + n + "-" + (SIZE - 1) + "/" + SIZE);
        assertThat(LuatHttpClient.contentLength(rest)).isEqualTo(SIZE - n);
        assertThat(LuatHttpClient.readAsFota(rest).code()).as("a 206 reaches Lua as 200").isEqualTo(200);
        byte[] flashed = Arrays.copyOf(Arrays.copyOf(first.body(), n), SIZE);
        System.arraycopy(rest.body(), 0, flashed, n, SIZE - n);
        assertThat(flashed).isEqualTo(firmware);
    }

    @Test
    void theCSdkDataModeResumesFromItsOffsetWithRangeAndAccept() throws Exception {
        LuatHttpClient.Target t = target(edge(), "861551056423004");
        byte[] fresh = LuatHttpClient.dataModeRequest(t, 0);
        assertThat(new String(fresh, StandardCharsets.ISO_8859_1)).doesNotContain("Range")
                .endsWith("\r\nConnection: Close\r\nHost: " + edge() + "\r\nAccept: application/octet-stream\r\n\r\n");
        int n = 123_457;
        RawResponse first = RawHttp.exchangeCut(system.edgePort(), fresh, n);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.headerExact("Content-Length")).isEqualTo(Integer.toString(SIZE));

        RawResponse rest = RawHttp.exchange(system.edgePort(), LuatHttpClient.dataModeRequest(t, n));
        assertThat(rest.status()).isEqualTo(206);
        assertThat(rest.headerExact("Content-Range")).isEqualTo("bytes " + n + "-" + (SIZE - 1) + "/" + SIZE);
        assertThat(rest.body()).isEqualTo(Arrays.copyOfRange(firmware, n, SIZE));
        assertThat(Arrays.copyOf(first.body(), n)).isEqualTo(Arrays.copyOf(firmware, n));
    }

    @Test
    void theLuatPlatformsHostHeaderIsServedAsAnyOther() throws Exception {
        // A board on libfota's built-in URL reaches us through DNS and keeps that Host.
        RawResponse r = RawHttp.exchange(system.edgePort(),
                LuatHttpClient.luaRequest("GET", target("iot.openluat.com", "861551056423005"), -1));
        assertThat(r.status()).isEqualTo(200);
        assertThat(LuatHttpClient.readAsFota(r).flashed()).isEqualTo(firmware);
    }

    @Test
    void aRefusalStopsTheFotaModeAtTheHeadWithAStatusOf300OrMore() throws Exception {
        LuatHttpClient.Target wrongKey = LuatHttpClient.Target.of("http://" + edge() + "/api/site/firmware_upgrade?"
                + "imei=861551056423006&project_key=00&firmware_name=luatc_LuatOS-SoC_EC618&version=1003.001.000");
        RawResponse r = RawHttp.exchange(system.edgePort(), LuatHttpClient.luaRequest("GET", wrongKey, -1));
        Libfota2ConformanceTest.assertRefused(r, 403, "17 no permission");
        // Not even a resume turns a refusal into bytes.
        r = RawHttp.exchange(system.edgePort(), LuatHttpClient.luaRequest("GET", wrongKey, 1000));
        Libfota2ConformanceTest.assertRefused(r, 403, "17 no permission");
    }
}
