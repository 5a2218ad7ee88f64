package io.otaedge.conformance.luatos;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.conformance.ConformanceSystem;
import io.otaedge.conformance.luatos.LuaDevice.Library;
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
 * LuatOS' older libfota, {@code script/libs/libfota.lua} of {@code openLuat/LuatOS} (commit
 * f9601cc1274611b0804b208733dddf23073c4d07, {@code libfota.version()} 202607021200), run under {@code lua5.4} as
 * {@link Libfota2ConformanceTest} runs libfota2 (LuatOS' own file with {@code -Dluatos.libs}, else our builder,
 * which must build the URLs recorded below from the real file).
 *
 * <p>Without a URL libfota always asks {@code http://iot.openluat.com/api/site/firmware_upgrade}, so such
 * boards reach this system only through a DNS entry for that host (the request keeps
 * {@code Host: iot.openluat.com:80}); the query is {@code project_key, firmware_name, version, <id>} in that
 * order. Boards with a modem send {@code imei=}, Air1601/1602 their MCU id as {@code mac=}, Wi-Fi boards
 * {@code mac=}, each with {@code <core>.<x>.<z>} and {@code <PROJECT>_LuatOS-SoC_<bsp>}; any other board
 * sends {@code uid=<MCU id hex>}, the script's VERSION as written and {@code <PROJECT>_LuatOS-SoC_V<core>_<bsp>}
 * (rtos.firmware()), whose board platform ({@code <bsp>}, the core version dropped) names the catalog
 * module its image comes from. A VERSION not of the
 * form {@code x.y.z} or a missing PRODUCT_KEY is callback 5 before any request; with a URL, libfota asks
 * exactly that URL.
 */
class LibfotaConformanceTest {

    static final String PRODUCT = "luat1";
    static final int SIZE = 120_000;

    @TempDir
    static Path dataDir;
    static ConformanceSystem system;
    static byte[] firmware;
    static byte[] uidFirmware;
    static String projectKey;

    @BeforeAll
    static void start() throws Exception {
        system = ConformanceSystem.start(dataDir);
        system.createProduct(PRODUCT);
        firmware = new byte[SIZE];
        new Random(1).nextBytes(firmware);
        uidFirmware = new byte[SIZE / 2];
        new Random(3).nextBytes(uidFirmware);
        String id = system.uploadFirmware(PRODUCT, "default", "1003.2.0", "luat1.bin", firmware).get("id").asText();
        system.createTask(PRODUCT, "{\"firmwareId\":\"" + id + "\"}");
        // The uid boards report their script's VERSION alone: their image is versioned that way, in the
        // module of their board platform (AIR101 of firmware_name's "V1003_AIR101").
        String uid = system.uploadFirmware(PRODUCT, "AIR101", "2.0.0", "air101.bin", uidFirmware).get("id").asText();
        system.createTask(PRODUCT, "{\"firmwareId\":\"" + uid + "\"}");
        projectKey = system.admin("GET", "/admin/v1/products/" + PRODUCT + "/luatos-key", null, 200)
                .get("projectKey").asText();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    static Map<String, String> board(String version) {
        return LuaDevice.board("LUATOS_PROJECT", PRODUCT, "LUATOS_VERSION", version, "LUATOS_PRODUCT_KEY", projectKey,
                "LUATOS_CORE", "V1003", "LUATOS_UID_HEX", "A1B2C3D4E5F60718");
    }

    /** Recorded from LuatOS' own libfota.lua run here (lua5.4, our shims, {@code -Dluatos.libs}). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            cellular board   | EC618   | 861551056422001 |              | http://iot.openluat.com/api/site/firmware_upgrade?project_key={key}&firmware_name=luat1_LuatOS-SoC_EC618&version=1003.001.000&imei=861551056422001 | main
            Wi-Fi board      | ESP32C3 |                 | 6055F9000201 | http://iot.openluat.com/api/site/firmware_upgrade?project_key={key}&firmware_name=luat1_LuatOS-SoC_ESP32C3&version=1003.001.000&mac=6055F9000201 | main
            Air1601 board    | Air1601 |                 |              | http://iot.openluat.com/api/site/firmware_upgrade?project_key={key}&firmware_name=luat1_LuatOS-SoC_Air1601&version=1003.001.000&mac=A1B2C3D4E5F60718 | main
            board without id | AIR101  |                 |              | http://iot.openluat.com/api/site/firmware_upgrade?project_key={key}&firmware_name=luat1_LuatOS-SoC_V1003_AIR101&version=001.000.000&uid=A1B2C3D4E5F60718 | uid
            """)
    void thePlatformUrlLibfotaBuildsIsServedThroughADnsEntryForItsHost(String name, String bsp, String imei,
            String mac, String recordedUrl, String image) throws Exception {
        Map<String, String> env = board("001.000.000");
        env.put("LUATOS_BSP", bsp);
        if (imei != null) {
            env.put("LUATOS_IMEI", imei);
        }
        if (mac != null) {
            env.put("LUATOS_MAC", mac);
        }
        EdgeLink link = new EdgeLink(system.edgePort());
        LuaDevice.Run run = LuaDevice.run(Library.LIBFOTA, env, link);

        assertThat(run.calls()).as(run.log()).hasSize(1);
        assertThat(run.calls().get(0).url()).isEqualTo(recordedUrl.replace("{key}", projectKey));
        assertThat(link.last().request()).contains("\r\nHost: iot.openluat.com:80\r\n");
        assertThat(link.last().response().status()).isEqualTo(200);
        assertThat(link.last().read().flashed()).isEqualTo(image.equals("uid") ? uidFirmware : firmware);
        assertThat(run.callback()).as(run.log()).isZero();
    }

    @Test
    void aBoardWithoutIdOnItsTargetScriptVersionGets27AlreadyLatest() throws Exception {
        Map<String, String> env = board("2.0.0");
        env.put("LUATOS_BSP", "AIR101");
        env.put("LUATOS_UID_HEX", "A1B2C3D4E5F60799");
        EdgeLink link = new EdgeLink(system.edgePort());
        LuaDevice.Run run = LuaDevice.run(Library.LIBFOTA, env, link);
        assertThat(run.calls().get(0).url()).contains("&version=2.0.0&uid=A1B2C3D4E5F60799");
        Libfota2ConformanceTest.assertRefused(link.last().response(), 404, "27 already latest");
        assertThat(run.callback()).isEqualTo(4);
    }

    @Test
    void aVersionNotOfTheFormXyzOrNoProductKeyIsCallback5WithoutARequest() throws Exception {
        Map<String, String> badVersion = board("1.0");
        badVersion.put("LUATOS_IMEI", "861551056422010");
        LuaDevice.Run run = LuaDevice.run(Library.LIBFOTA, badVersion, new EdgeLink(system.edgePort()));
        assertThat(run.calls()).isEmpty();
        assertThat(run.callback()).isEqualTo(5);

        Map<String, String> noKey = board("001.000.000");
        noKey.put("LUATOS_IMEI", "861551056422010");
        noKey.remove("LUATOS_PRODUCT_KEY");
        run = LuaDevice.run(Library.LIBFOTA, noKey, new EdgeLink(system.edgePort()));
        assertThat(run.calls()).isEmpty();
        assertThat(run.callback()).isEqualTo(5);
    }

    @Test
    void aConfiguredUrlIsAskedAsGivenTheDocumentedVersionOnlyFormIsRefusedAndAFullOneServed() throws Exception {
        String base = "http://127.0.0.1:" + system.edgePort() + "/api/site/firmware_upgrade?";
        Map<String, String> env = board("001.000.000");
        env.put("LUATOS_IMEI", "861551056422011");
        EdgeLink link = new EdgeLink(system.edgePort());

        // libfota's own example: "…/upgrade?version=" .. _G.VERSION, which names no project.
        env.put("LUATOS_URL", base + "version=001.000.000");
        LuaDevice.Run run = LuaDevice.run(Library.LIBFOTA, env, link);
        assertThat(run.calls().get(0).url()).isEqualTo(base + "version=001.000.000");
        Libfota2ConformanceTest.assertRefused(link.last().response(), 404, "25 invalid project");
        assertThat(run.callback()).isEqualTo(4);

        env.put("LUATOS_URL", base + "project_key=" + projectKey
                + "&firmware_name=luat1_LuatOS-SoC_EC618&version=1003.001.000&imei=861551056422011");
        run = LuaDevice.run(Library.LIBFOTA, env, link);
        assertThat(link.last().request()).contains("\r\nHost: 127.0.0.1:" + system.edgePort() + "\r\n");
        assertThat(link.last().read().flashed()).isEqualTo(firmware);
        assertThat(run.callback()).isZero();
    }
}
