package io.otaedge.control.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import java.net.http.HttpResponse;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Campaign features end to end: admin API to create and steer tasks, OneNET checks to see what devices get. */
class TaskCampaignTest {

    static ControlHarness control;

    @BeforeAll
    static void start() {
        control = new ControlHarness("OTA_EDGE_PUBLIC_IP_ADDRESS", "192.0.2.7:8080");
    }

    @AfterAll
    static void stop() {
        control.close();
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    record Product(String id, String auth) {
    }

    static Product product(String prefix) {
        String pid = ControlHarness.uniqueId(prefix);
        String key = control.createProduct(pid);
        return new Product(pid, ControlHarness.authorization(key, pid));
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** A full 2.0 package of the product's default module; its id. */
    static String target(Product p) {
        return control.uploadFirmware(p.id(), "2.0", bytes(100)).get("id").asText();
    }

    /** Creates a task on the package with extra JSON fields (",\"x\":1" or ""). */
    static JsonNode task(Product p, String firmwareId, String fields) {
        return control.createTask(p.id(), "{\"firmwareId\":\"" + firmwareId + "\"" + fields + "}");
    }

    static int errno(Product p, long dev, String version) {
        return control.checkJson(p.auth(), ControlHarness.seedBody(dev, version)).get("errno").asInt();
    }

    static String action(String taskId, String action) {
        HttpResponse<String> r = control.adminPost("/admin/v1/tasks/" + taskId + "/" + action, "");
        return r.statusCode() + " " + ControlHarness.json(r).path("status").asText(ControlHarness.json(r).path("error").asText());
    }

    @Test
    void aTaskCreatedStoppedIsOfferedOnlyAfterStartAndWhileNotPaused() {
        Product p = product("camp-life");
        String fw = target(p);
        JsonNode task = task(p, fw, ",\"start\":false");
        String id = task.get("id").asText();
        assertThat(task.get("status").asText()).isEqualTo("CREATED");
        assertThat(errno(p, 1, "1.0")).isEqualTo(11);

        assertThat(action(id, "resume")).isEqualTo("409 illegal_task_action");
        assertThat(action(id, "start")).isEqualTo("200 RUNNING");
        assertThat(errno(p, 1, "1.0")).isZero();
        assertThat(action(id, "pause")).isEqualTo("200 PAUSED");
        assertThat(errno(p, 2, "1.0")).isEqualTo(11);
        assertThat(action(id, "resume")).isEqualTo("200 RUNNING");
        assertThat(errno(p, 2, "1.0")).isZero();
        assertThat(action(id, "stop")).isEqualTo("200 STOPPED");
        assertThat(errno(p, 3, "1.0")).isEqualTo(11);
        assertThat(action(id, "start")).isEqualTo("409 illegal_task_action");
        assertThat(ControlHarness.json(control.adminGet("/admin/v1/tasks/" + id)).get("status").asText()).isEqualTo("STOPPED");
        assertThat(action("task_nope", "stop")).isEqualTo("404 task_not_found");
    }

    @Test
    void aDifferentialPackageFromTheDevicesVersionIsPreferredToTheFullOne() {
        Product p = product("camp-delta");
        String full = control.uploadFirmware(p.id(), "2.0", bytes(1000)).get("id").asText();
        control.uploadPackage(p.id(), "2.0", "sourceVersion=1.0", bytes(100));
        task(p, full, "");

        JsonNode fromOne = control.checkJson(p.auth(), ControlHarness.seedBody(10, "1.0")).get("data");
        assertThat(fromOne.get("type").asInt()).isEqualTo(2);
        assertThat(fromOne.get("size").asLong()).isEqualTo(100);
        JsonNode fromOneFive = control.checkJson(p.auth(), ControlHarness.seedBody(11, "1.5")).get("data");
        assertThat(fromOneFive.get("type").asInt()).isEqualTo(1);
        assertThat(fromOneFive.get("size").asLong()).isEqualTo(1000);
    }

    @Test
    void aDeltaOnlyTaskWithoutAPackageForTheDevicesVersionIsErrno32() {
        Product p = product("camp-32");
        String full = control.uploadFirmware(p.id(), "2.0", bytes(1000)).get("id").asText();
        control.uploadPackage(p.id(), "2.0", "sourceVersion=1.0", bytes(100));
        task(p, full, ",\"deltaOnly\":true");
        assertThat(errno(p, 1, "1.0")).isZero();
        assertThat(errno(p, 2, "1.5")).isEqualTo(32);
    }

    @Test
    void aTaskOnADifferentialPackageRefusesOtherVersionsWithErrno9() {
        Product p = product("camp-9");
        String delta = control.uploadPackage(p.id(), "2.0", "sourceVersion=1.0", bytes(100)).get("id").asText();
        task(p, delta, "");
        assertThat(errno(p, 1, "1.0")).isZero();
        assertThat(errno(p, 2, "1.1")).isEqualTo(9);
    }

    @Test
    void aManufacturerOrModelFilterRefusesOthersWithErrno8() {
        Product p = product("camp-8");
        String fw = target(p);
        task(p, fw, ",\"models\":[\"M5311\"]");
        assertThat(errno(p, 1, "1.0")).isEqualTo(8);
    }

    @Test
    void packageStatusGatesOffers() {
        Product p = product("camp-status");
        JsonNode fw = control.uploadPackage(p.id(), "2.0", "status=TEST", bytes(100));
        String id = fw.get("id").asText();
        task(p, id, "");
        task(p, id, ",\"devices\":[\"7\"]");
        assertThat(errno(p, 7, "1.0")).as("a TEST package reaches a named test device").isZero();
        assertThat(errno(p, 8, "1.0")).as("but not the fleet").isEqualTo(11);

        control.adminPut("/admin/v1/products/" + p.id() + "/firmwares/" + id + "/status", "{\"status\":\"ONLINE\"}");
        assertThat(errno(p, 8, "1.0")).isZero();
        control.adminPut("/admin/v1/products/" + p.id() + "/firmwares/" + id + "/status", "{\"status\":\"INVALID\"}");
        assertThat(errno(p, 9, "1.0")).isEqualTo(11);
        HttpResponse<String> r = control.adminPost("/admin/v1/products/" + p.id() + "/tasks", "{\"firmwareId\":\"" + id + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    }

    @Test
    void cdnChoosesBetweenTheHostNameAndTheIpAddress() {
        Product p = product("camp-cdn");
        String fw = target(p);
        task(p, fw, "");
        assertThat(control.checkJson(p.auth(), ControlHarness.seedBody(1, "1.0")).get("data").get("ipPort").asText())
                .isEqualTo(ControlHarness.EDGE);
        String noCdn = ControlHarness.seedBody(2, "1.0").replace("\"cdn\": true", "\"cdn\": false");
        assertThat(control.checkJson(p.auth(), noCdn).get("data").get("ipPort").asText()).isEqualTo("192.0.2.7:8080");
        String cdnAbsent = ControlHarness.seedBody(3, "1.0").replace(",\n\"cdn\": true", "");
        assertThat(cdnAbsent).doesNotContain("cdn");
        assertThat(control.checkJson(p.auth(), cdnAbsent).get("data").get("ipPort").asText())
                .as("a device that does not say it resolves names gets the IP address").isEqualTo("192.0.2.7:8080");
    }

    @Test
    void theOperatorAdvancesTheRolloutStageByStage() {
        Product p = product("camp-stage");
        String fw = target(p);
        String id = task(p, fw, ",\"stages\":[5,50,100]").get("id").asText();
        int offered = 0;
        for (int d = 0; d < 200; d++) {
            offered += errno(p, d, "1.0") == 0 ? 1 : 0;
        }
        assertThat(offered).isBetween(1, 30);
        HttpResponse<String> adv = control.adminPost("/admin/v1/tasks/" + id + "/advance", "{\"stage\":2}");
        assertThat(adv.statusCode()).as(adv.body()).isEqualTo(200);
        assertThat(ControlHarness.json(adv).get("stage").asInt()).isEqualTo(2);
        for (int d = 0; d < 200; d++) {
            assertThat(errno(p, d, "1.0")).isZero();
        }
        assertThat(control.adminPost("/admin/v1/tasks/" + id + "/advance", "").statusCode()).isEqualTo(400);
        JsonNode progress = ControlHarness.json(control.adminGet("/admin/v1/tasks/" + id + "/progress"));
        assertThat(progress.get("counts").get("TO_BE_UPGRADED").asInt()).isEqualTo(200);
        assertThat(progress.get("stages").get(0).get("enrolled").asInt()).isEqualTo(offered);
    }

    @Test
    void aTaskWithoutAutoAddSkipsDevicesThatFirstCheckInAfterIt() {
        Product p = product("camp-autoadd");
        String fw = target(p);
        assertThat(errno(p, 1, "1.0")).isEqualTo(11); // known before the task
        task(p, fw, ",\"autoAdd\":false");
        assertThat(errno(p, 1, "1.0")).isZero();
        assertThat(errno(p, 2, "1.0")).isEqualTo(11);
    }

    @Test
    void badCampaignFieldsAre400() {
        Product p = product("camp-bad");
        String fw = target(p);
        for (String extra : new String[] {"\"stages\":[50,10]", "\"stages\":[0]", "\"macRanges\":[{\"from\":\"zz\",\"to\":\"00:00:00:00:00:01\"}]",
                "\"mode\":\"LATER\"", "\"startAt\":\"tomorrow\"", "\"failureThreshold\":101",
                "\"startAt\":\"2030-01-01T00:00:00Z\",\"endAt\":\"2029-01-01T00:00:00Z\"", "\"autoAdd\":\"yes\""}) {
            HttpResponse<String> r = control.adminPost("/admin/v1/products/" + p.id() + "/tasks",
                    "{\"firmwareId\":\"" + fw + "\"," + extra + "}");
            assertThat(r.statusCode()).as(extra + " -> " + r.body()).isEqualTo(400);
        }
    }
}
