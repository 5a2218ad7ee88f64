package io.otaedge.standalone;

import static io.otaedge.standalone.DialectDevices.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's safety rule, in all five dialects at once: a device already on the target version, however it
 * spells it (libfota2 keeps the script's zeros: {@code 1001.002.000}), downloads nothing, and a device on a
 * newer version is never offered the older target until a task says it is a rollback. An older device in
 * the same product gets its offer, so the refusals are the rule, not a dead task.
 */
class VersionOrderEndToEndTest {

    static final String PRODUCT = "vers";
    static final String TARGET = "1001.2.0";
    static final List<String> ON_TARGET = List.of("1001.002.000", "1001.02.0", "1001.2.0");
    static final String NEWER = "1001.010.000";
    static final String OLDER = "1001.001.009";

    @TempDir
    static Path dataDir;

    static Standalone system;
    static OtaTestClient client;
    static DialectDevices devices;
    static String oneNetAuth;
    static String fogAuth;
    static String iotToken;
    static String projectKey;
    static int serial;

    @BeforeAll
    static void start() throws Exception {
        system = Standalone.start(StandaloneEndToEndTest.settings(dataDir));
        client = new OtaTestClient(system);
        devices = new DialectDevices(system, client, PRODUCT);
        client.createProduct(PRODUCT);
        byte[] firmware = new byte[10_000];
        new Random(12).nextBytes(firmware);
        client.createTask(PRODUCT, client.uploadFirmware(PRODUCT, TARGET, "v.bin", firmware).get("id").asText());
        oneNetAuth = client.oneNetAuthorization(PRODUCT);
        fogAuth = json(client.adminPost("/admin/v1/products/" + PRODUCT + "/fog-token", "")).get("authorization").asText();
        iotToken = json(client.adminGet("/admin/v1/products/" + PRODUCT + "/aliyun-token")).get("iotToken").asText();
        projectKey = json(client.adminGet("/admin/v1/products/" + PRODUCT + "/luatos-key")).get("projectKey").asText();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aDeviceOnTheTargetInAnySpellingDownloadsNothingInAnyDialect() throws Exception {
        for (String version : ON_TARGET) {
            assertNothingOffered(version);
        }
    }

    @Test
    void aNewerDeviceIsNotDowngradedInAnyDialect() throws Exception {
        assertNothingOffered(NEWER);
    }

    @Test
    void anOlderDeviceIsOfferedTheTargetInEveryDialect() throws Exception {
        int n = ++serial;
        assertThat(client.oneNetCheck(oneNetAuth, 9000 + n, OLDER).get("data").get("target").asText()).isEqualTo(TARGET);
        assertThat(devices.xiaozhi(mac(n), OLDER).get("firmware").get("url").asText()).contains("/ota/download/");
        assertThat(devices.fogCheck(fogAuth, "fog-old-" + n, OLDER).get("need_ota").asBoolean()).isTrue();
        assertThat(aliyunFile("ali-old-" + n, OLDER).get("version").asText()).isEqualTo(TARGET);
        assertThat(devices.get(devices.luatosUrl(projectKey, imei(n), OLDER)).statusCode()).isEqualTo(200);
    }

    @Test
    void onlyARollbackTaskOffersTheNewerDeviceAnOlderVersion() throws Exception {
        try (Standalone s = Standalone.start(StandaloneEndToEndTest.settings(dataDir.resolve("rollback")))) {
            OtaTestClient c = new OtaTestClient(s);
            c.createProduct("back");
            String fw = c.uploadFirmware("back", "1.0.0", "b.bin", new byte[] {1, 2, 3}).get("id").asText();
            String auth = c.oneNetAuthorization("back");
            c.createTask("back", fw);
            assertThat(c.oneNetCheck(auth, 1, "1.1.0").get("errno").asInt()).isEqualTo(11);
            HttpResponse<String> rollback = c.adminPost("/admin/v1/products/back/tasks",
                    "{\"firmwareId\":\"" + fw + "\",\"rollback\":true}");
            assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(201);
            JsonNode offer = c.oneNetCheck(auth, 1, "1.1.0");
            assertThat(offer.get("errno").asInt()).isZero();
            assertThat(offer.get("data").get("target").asText()).isEqualTo("1.0.0");
            assertThat(c.oneNetCheck(auth, 2, "1.00.0").get("errno").asInt()).isEqualTo(11);
        }
    }

    /** Asks in every dialect as a device on {@code version}; none may be offered a download. */
    static void assertNothingOffered(String version) throws Exception {
        int n = ++serial;
        JsonNode oneNet = client.oneNetCheck(oneNetAuth, 9000 + n, version);
        assertThat(oneNet.get("errno").asInt()).as("OneNET " + version + ": " + oneNet).isEqualTo(11);

        JsonNode firmware = devices.xiaozhi(mac(n), version).get("firmware");
        assertThat(firmware == null || !firmware.hasNonNull("url") || firmware.get("url").asText().isEmpty())
                .as("xiaozhi " + version + ": " + firmware).isTrue();

        JsonNode fog = devices.fogCheck(fogAuth, "fog-" + n, version);
        assertThat(fog.get("need_ota").asBoolean()).as("FOG " + version + ": " + fog).isFalse();
        assertThat(fog.path("files").size()).isZero();

        JsonNode aliyun = aliyunFile("ali-" + n, version);
        assertThat(aliyun == null || aliyun.isNull() || !aliyun.hasNonNull("url")).as("Aliyun " + version + ": " + aliyun).isTrue();

        HttpResponse<String> luat = devices.get(devices.luatosUrl(projectKey, imei(n), version));
        assertThat(luat.statusCode()).as("LuatOS " + version + ": " + luat.body()).isGreaterThanOrEqualTo(300);
        assertThat(luat.body()).as("already latest, whether on the target or newer").startsWith("27 ");
    }

    static JsonNode aliyunFile(String device, String version) throws Exception {
        return devices.aliyun(iotToken, "/living/ota/firmware/file/get", device, ",\"currentVersion\":\"" + version + "\"")
                .get("data");
    }

    static String mac(int n) {
        return String.format("aa:bb:cc:12:00:%02x", n);
    }

    static String imei(int n) {
        return Long.toString(861551056412000L + n);
    }
}
