package io.otaedge.conformance.luatos;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.conformance.ConformanceSystem;
import io.otaedge.conformance.RawResponse;
import io.otaedge.conformance.luatos.LuaDevice.Library;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * LuatOS' libfota2, {@code script/libs/libfota2.lua} of {@code openLuat/LuatOS} (commit
 * f9601cc1274611b0804b208733dddf23073c4d07, {@code libfota2.version()} 202607021200), run under
 * {@code lua5.4} on a simulated board ({@link LuaDevice}): its request-building and callback code is the
 * library's own when {@code -Dluatos.libs=<LuatOS script/libs>} is given, else our builder of the same
 * behaviour, which must build the very URLs recorded below from the real file. Its request reaches the
 * edge as {@code luat_http_client.c} writes it and is read back as that client's fota mode reads it
 * ({@link LuatHttpClient}); the callback codes are libfota2's: 0 written to flash, 4 no upgrade or a failed
 * download, 5 no PRODUCT_KEY.
 *
 * <p>What libfota2 sends: {@code <configured URL><id>&project_key=<PRODUCT_KEY>&firmware_name=<PROJECT>_LuatOS-SoC_<bsp>&version=<core>.<x>.<z>},
 * appended to the URL as configured (a self-built server's URL ends in {@code ?}); the id is
 * {@code imei=} on Air780E/Air8000/Air700 modules, {@code mac=<wlan MAC>} on the Air8101, {@code mac=<MCU id hex>}
 * on Air1601/1602/1780, and the text {@code nil} on any other model. The version keeps the script
 * VERSION's first and last numbers as written (leading zeros too) and drops the middle one.
 *
 * <p>The already-on-target and newer-than-target tests need numeric version ordering in control's decision
 * engine (the lead's change); until it is merged only the exact spelling {@code 1003.2.0} passes.
 */
class Libfota2ConformanceTest {

    static final String PRODUCT = "luat2";
    static final String TARGET = "1003.2.0";
    static final int SIZE = 200_000;

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
        new Random(2).nextBytes(firmware);
        String id = system.uploadFirmware(PRODUCT, "default", TARGET, "luat2.bin", firmware).get("id").asText();
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

    /** The self-built-server URL a deployment configures: the edge's LuatOS path, ending in {@code ?}. */
    static String configuredUrl() {
        return "http://127.0.0.1:" + system.edgePort() + "/api/site/firmware_upgrade?";
    }

    /** An Air780EP (cellular, EC618) running a script of {@code PROJECT = "luat2"} and {@code version}. */
    static Map<String, String> cellular(String imei, String version) {
        return LuaDevice.board("LUATOS_PROJECT", PRODUCT, "LUATOS_VERSION", version, "LUATOS_PRODUCT_KEY", projectKey,
                "LUATOS_URL", configuredUrl(), "LUATOS_MODEL", "Air780EP", "LUATOS_BSP", "EC618",
                "LUATOS_CORE", "V1003", "LUATOS_IMEI", imei);
    }

    static String expand(String recorded) {
        return recorded.replace("{port}", Integer.toString(system.edgePort())).replace("{key}", projectKey);
    }

    /**
     * The URLs below are what LuatOS' own libfota2.lua built here (lua5.4, our shims, run with
     * {@code -Dluatos.libs}); our builder must build the same ones, and the edge answers each as shown.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Air780EP cellular, self-built URL | Air780EP | EC618       | 861551056421001 |              | self  | http://127.0.0.1:{port}/api/site/firmware_upgrade?imei=861551056421001&project_key={key}&firmware_name=luat2_LuatOS-SoC_EC618&version=1003.001.000 | 200 | 0
            Air8101 Wi-Fi, bsp with a suffix  | Air8101  | Air8101-evb |                 | C8C9A3000101 | self  | http://127.0.0.1:{port}/api/site/firmware_upgrade?mac=C8C9A3000101&project_key={key}&firmware_name=luat2_LuatOS-SoC_Air8101&version=1003.001.000 | 200 | 0
            Air1601 MCU id as mac             | Air1601  | Air1601     |                 |              | self  | http://127.0.0.1:{port}/api/site/firmware_upgrade?mac=0102030405060708&project_key={key}&firmware_name=luat2_LuatOS-SoC_Air1601&version=1003.001.000 | 200 | 0
            Air780EP on the platform's URL    | Air780EP | EC618       | 861551056421004 |              | luat  | http://iot.openluat.com/api/site/firmware_upgrade?imei=861551056421004&project_key={key}&firmware_name=luat2_LuatOS-SoC_EC618&version=1003.001.000 | 200 | 0
            an unlisted model sends no id     | Air9999  | EC618       | 861551056421005 |              | self  | http://127.0.0.1:{port}/api/site/firmware_upgrade?nil&project_key={key}&firmware_name=luat2_LuatOS-SoC_EC618&version=1003.001.000 | 400 | 4
            """)
    void theRealLibfota2sUrlReachesTheEdgeAndItsCallbackReadsTheAnswer(String board, String model, String bsp,
            String imei, String mac, String url, String recordedUrl, int status, int callback) throws Exception {
        Map<String, String> env = LuaDevice.board("LUATOS_PROJECT", PRODUCT, "LUATOS_VERSION", "001.000.000",
                "LUATOS_PRODUCT_KEY", projectKey, "LUATOS_MODEL", model, "LUATOS_BSP", bsp, "LUATOS_CORE", "V1003",
                "LUATOS_UID_HEX", "0102030405060708");
        if (imei != null) {
            env.put("LUATOS_IMEI", imei);
        }
        if (mac != null) {
            env.put("LUATOS_MAC", mac);
        }
        if (url.equals("self")) {
            env.put("LUATOS_URL", configuredUrl());
        }
        EdgeLink link = new EdgeLink(system.edgePort());
        LuaDevice.Run run = LuaDevice.run(Library.LIBFOTA2, env, link);

        assertThat(run.calls()).as(run.log()).hasSize(1);
        assertThat(run.calls().get(0).url()).isEqualTo(expand(recordedUrl));
        assertThat(run.calls().get(0).method()).isEqualTo("GET");
        assertThat(link.last().response().status()).as(describe(link.last().response())).isEqualTo(status);
        assertThat(run.callback()).as(run.log()).isEqualTo(callback);
        if (callback == 0) {
            assertThat(link.last().read().flashed()).isEqualTo(firmware);
        }
    }

    @Test
    void theWholeFirmwareGoesToFlashAndTheCallbackIs0() throws Exception {
        EdgeLink link = new EdgeLink(system.edgePort());
        LuaDevice.Run run = LuaDevice.run(Library.LIBFOTA2, cellular("861551056421010", "001.000.000"), link);

        assertThat(link.last().request()).isEqualTo("GET /api/site/firmware_upgrade?imei=861551056421010&project_key="
                + projectKey + "&firmware_name=luat2_LuatOS-SoC_EC618&version=1003.001.000 HTTP/1.1\r\n"
                + "Connection: Close\r\nHost: 127.0.0.1:" + system.edgePort() + "\r\n\r\n");
        RawResponse r = link.last().response();
        assertThat(r.status()).isEqualTo(200);
        assertThat(LuatHttpClient.contentLength(r)).isEqualTo(SIZE);
        assertThat(r.headEnd() + 4).as("head inside the client's receive buffer").isLessThan(LuatHttpClient.RESP_BUFF_SIZE);
        assertThat(link.last().read().flashed()).isEqualTo(firmware);
        assertThat(run.callback()).as(run.log()).isZero();
    }

    @Test
    void aDownloadCutMidBodyIsCallback4AndTheNextPeriodicCheckWritesTheWholeFirmware() throws Exception {
        Map<String, String> board = cellular("861551056421011", "001.000.000");
        EdgeLink link = new EdgeLink(system.edgePort()).cutNextAfter(SIZE / 2);
        LuaDevice.Run broken = LuaDevice.run(Library.LIBFOTA2, board, link);
        assertThat(link.last().response().status()).isEqualTo(200);
        assertThat(link.last().read().code()).isEqualTo(LuatHttpClient.HTTP_ERROR_FOTA);
        assertThat(broken.callback()).as(broken.log()).isEqualTo(4);

        // libfota2 has no Range of its own: its next check (sys.timerLoopStart) asks again from byte 0.
        LuaDevice.Run again = LuaDevice.run(Library.LIBFOTA2, board, link);
        assertThat(link.last().request()).doesNotContain("Range");
        assertThat(link.last().response().status()).isEqualTo(200);
        assertThat(link.last().read().flashed()).isEqualTo(firmware);
        assertThat(again.callback()).as(again.log()).isZero();
    }

    /** Needs numeric version ordering (the lead's change) for every spelling but {@code 2.0.0}. */
    @ParameterizedTest(name = "VERSION {0} sends version={1}")
    @CsvSource({"002.000.000, 1003.002.000, 861551056421020", "2.0.0, 1003.2.0, 861551056421021",
            "02.9.00, 1003.02.00, 861551056421022", "2.000.0, 1003.2.0, 861551056421023"})
    void aBoardAlreadyOnTheTargetGets27AlreadyLatestInAnySpellingAndCallback4(String scriptVersion, String sent,
            String imei) throws Exception {
        EdgeLink link = new EdgeLink(system.edgePort());
        LuaDevice.Run run = LuaDevice.run(Library.LIBFOTA2, cellular(imei, scriptVersion), link);
        assertThat(run.calls().get(0).url()).endsWith("&version=" + sent);
        assertRefused(link.last().response(), 404, "27 already latest");
        assertThat(run.callback()).as(run.log()).isEqualTo(4);
    }

    /** Needs numeric version ordering (the lead's change): a newer board is never offered the older target. */
    @ParameterizedTest(name = "core {0}, VERSION {1}")
    @CsvSource({"V1003, 003.000.000, 861551056421024", "V1003, 2.0.1, 861551056421025",
            "V1004, 001.000.000, 861551056421026"})
    void aBoardNewerThanTheTargetIsNeverDowngraded(String core, String scriptVersion, String imei) throws Exception {
        Map<String, String> board = cellular(imei, scriptVersion);
        board.put("LUATOS_CORE", core);
        EdgeLink link = new EdgeLink(system.edgePort());
        LuaDevice.Run run = LuaDevice.run(Library.LIBFOTA2, board, link);
        assertRefused(link.last().response(), 404, "27 already latest");
        assertThat(run.callback()).as(run.log()).isEqualTo(4);
    }

    @Test
    void aWrongProjectKeyIs403NoPermission() throws Exception {
        Map<String, String> board = cellular("861551056421030", "001.000.000");
        board.put("LUATOS_PRODUCT_KEY", "0123456789abcdef");
        EdgeLink link = new EdgeLink(system.edgePort());
        LuaDevice.Run run = LuaDevice.run(Library.LIBFOTA2, board, link);
        assertRefused(link.last().response(), 403, "17 no permission");
        assertThat(run.callback()).isEqualTo(4);
    }

    @Test
    void aFirmwareNameOfNoProjectIs403NoPermissionAndOneThatIsNoProjectIdIs404InvalidProject() throws Exception {
        Map<String, String> unknown = cellular("861551056421031", "001.000.000");
        unknown.put("LUATOS_PROJECT", "nosuchproject");
        EdgeLink link = new EdgeLink(system.edgePort());
        assertThat(LuaDevice.run(Library.LIBFOTA2, unknown, link).callback()).isEqualTo(4);
        assertRefused(link.last().response(), 403, "17 no permission");

        Map<String, String> malformed = cellular("861551056421032", "001.000.000");
        malformed.put("LUATOS_PROJECT", "no*project");
        assertThat(LuaDevice.run(Library.LIBFOTA2, malformed, link).callback()).isEqualTo(4);
        assertRefused(link.last().response(), 404, "25 invalid project");
    }

    @Test
    void aVersionNotOfTheFormXyzIs400InvalidFirmware() throws Exception {
        // opts.version overrides the built one; a script passing its own "2.0" is refused, never served.
        Map<String, String> board = cellular("861551056421033", "001.000.000");
        board.put("LUATOS_OPTS_VERSION", "2.0");
        EdgeLink link = new EdgeLink(system.edgePort());
        LuaDevice.Run run = LuaDevice.run(Library.LIBFOTA2, board, link);
        assertThat(run.calls().get(0).url()).endsWith("&version=2.0");
        assertRefused(link.last().response(), 400, "26 invalid firmware");
        assertThat(run.callback()).isEqualTo(4);
    }

    @Test
    void withoutProductKeyTheBoardAsksNothingAndCallsBack5() throws Exception {
        Map<String, String> board = cellular("861551056421034", "001.000.000");
        board.remove("LUATOS_PRODUCT_KEY");
        LuaDevice.Run run = LuaDevice.run(Library.LIBFOTA2, board, new EdgeLink(system.edgePort()));
        assertThat(run.calls()).isEmpty();
        assertThat(run.callback()).isEqualTo(5);
    }

    /** The answer's status line and, for a refusal, its reason (never a firmware's bytes). */
    static String describe(RawResponse r) {
        return r.statusLine() + (r.status() >= 300 ? " " + r.bodyText() : " (" + r.body().length + " body bytes)");
    }

    /** A refusal as the board's client meets it: a status of 300 or more (fota mode stops at the head) and our reason. */
    static void assertRefused(RawResponse r, int status, String reason) {
        assertThat(r.status()).as(describe(r)).isEqualTo(status).isGreaterThanOrEqualTo(300);
        assertThat(r.headEnd() + 4).isLessThan(LuatHttpClient.RESP_BUFF_SIZE);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).startsWith(reason);
        assertThat(LuatHttpClient.readAsFota(r).code()).isEqualTo(LuatHttpClient.HTTP_ERROR_FOTA);
    }
}
