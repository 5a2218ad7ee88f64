package io.otaedge.control.admin;

import static io.otaedge.control.admin.AdminApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.RunningControlTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code PATCH /admin/v1/products/{p}} {@code {"status":"archived"|"active"}}: an archived product keeps its data,
 * leaves the default product list, refuses new firmware and tasks ({@code product_archived}), has its tasks stopped,
 * and its devices are answered "no upgrade" in their dialect's words; made active again, it takes uploads and tasks.
 */
class ProductArchiveTest extends RunningControlTest {

    private static HttpResponse<String> setStatus(String pid, String status) {
        return control.adminPatch("/admin/v1/products/" + pid, "{\"status\":\"" + status + "\"}");
    }

    private static List<String> listed(String query) {
        return control.adminList("/admin/v1/products" + query).stream().map(p -> p.get("productId").asText()).toList();
    }

    @Test
    void archivedProductLeavesTheDefaultListRefusesUploadsAndTasksAndUnarchiveRestores() {
        String pid = ControlHarness.uniqueId("arch");
        control.createProduct(pid);
        String fw = control.uploadFirmware(pid, "2.0", "two".getBytes(StandardCharsets.US_ASCII)).get("id").asText();
        assertThat(listed("")).contains(pid);

        HttpResponse<String> archived = setStatus(pid, "archived");
        assertThat(archived.statusCode()).as(archived.body()).isEqualTo(200);
        assertThat(ControlHarness.json(archived).get("status").asText()).isEqualTo("archived");
        assertThat(ControlHarness.json(control.adminGet("/admin/v1/products/" + pid)).get("status").asText()).isEqualTo("archived");
        assertThat(listed("")).doesNotContain(pid);
        assertThat(listed("?status=active")).doesNotContain(pid);
        assertThat(listed("?status=archived")).contains(pid);
        assertThat(listed("?status=all")).contains(pid);
        assertThat(control.adminList("/admin/v1/products?status=archived").stream()
                .allMatch(p -> p.get("status").asText().equals("archived"))).isTrue();

        assertError(control.upload(pid, "version=3.0&fileName=fw.bin", new byte[] {3}), 409, "product_archived");
        assertError(control.adminPost("/admin/v1/products/" + pid + "/tasks", "{\"firmwareId\":\"" + fw + "\"}"), 409,
                "product_archived");
        assertThat(control.adminList("/admin/v1/products/" + pid + "/firmwares")).as("its data is kept").hasSize(1);

        assertThat(setStatus(pid, "active").statusCode()).isEqualTo(200);
        assertThat(listed("")).contains(pid);
        assertThat(listed("?status=archived")).doesNotContain(pid);
        control.uploadFirmware(pid, "3.0", "three".getBytes(StandardCharsets.US_ASCII));
        control.createTask(pid, "{\"firmwareId\":\"" + fw + "\"}");
    }

    @Test
    void archivingStopsEveryTaskNotStoppedAndDevicesGetNoUpgradeInOneNetAndXiaozhi() {
        String pid = ControlHarness.uniqueId("archchk");
        String key = control.createProduct(pid);
        String fw = control.uploadFirmware(pid, "2.0.0", "archived".getBytes(StandardCharsets.US_ASCII)).get("id").asText();
        String paused = control.createTask(pid, "{\"firmwareId\":\"" + fw + "\",\"devices\":[\"nobody\"]}").get("id").asText();
        control.adminPost("/admin/v1/tasks/" + paused + "/pause", "");
        String created = control.createTask(pid, "{\"firmwareId\":\"" + fw + "\",\"start\":false}").get("id").asText();
        String running = control.createTask(pid, "{\"firmwareId\":\"" + fw + "\"}").get("id").asText();
        String auth = ControlHarness.authorization(key, pid);
        assertThat(control.checkJson(auth, ControlHarness.seedBody(1, "1.0.0")).get("errno").asInt()).as("offered before").isZero();
        assertThat(xiaozhi(pid, "aa:bb:cc:00:00:01").get("firmware").has("url")).as("offered before").isTrue();

        assertThat(setStatus(pid, "archived").statusCode()).isEqualTo(200);

        for (String task : List.of(paused, created, running)) {
            assertThat(ControlHarness.json(control.adminGet("/admin/v1/tasks/" + task)).get("status").asText()).as(task)
                    .isEqualTo("STOPPED");
        }
        JsonNode oneNet = control.checkJson(auth, ControlHarness.seedBody(1, "1.0.0"));
        assertThat(oneNet.get("errno").asInt()).as("OneNET's no-task errno: " + oneNet).isEqualTo(11);
        JsonNode xz = xiaozhi(pid, "aa:bb:cc:00:00:02");
        assertThat(xz.get("firmware").has("url")).as(xz.toString()).isFalse();
        assertThat(xz.get("firmware").get("version").asText()).isEqualTo("1.0.0");
        assertThat(setStatus(pid, "archived").statusCode()).as("archiving again is harmless").isEqualTo(200);
    }

    @Test
    void aProductStoredBeforeStatusesExistedIsActiveAndCanBeArchived() throws Exception {
        String pid = ControlHarness.uniqueId("archold");
        control.createProduct(pid);
        String key = io.otaedge.common.redis.RedisKeys.product(pid);
        JsonNode stored = io.otaedge.common.json.Json.mapper().readTree(control.redis.async().get(key).get());
        ((com.fasterxml.jackson.databind.node.ObjectNode) stored).remove("status");
        control.redis.async().set(key, stored.toString()).get();

        assertThat(ControlHarness.json(control.adminGet("/admin/v1/products/" + pid)).get("status").asText()).isEqualTo("active");
        assertThat(listed("")).contains(pid);
        HttpResponse<String> r = setStatus(pid, "archived");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertError(control.upload(pid, "version=1.0&fileName=fw.bin", new byte[] {1}), 409, "product_archived");
    }

    @Test
    void badStatusUnknownFieldAndUnknownProductAreRefused() {
        String pid = ControlHarness.uniqueId("archbad");
        control.createProduct(pid);
        assertError(setStatus(pid, "gone"), 400, "bad_request");
        assertError(control.adminPatch("/admin/v1/products/" + pid, "{\"status\":\"archived\",\"nmae\":\"x\"}"), 400, "unknown_field");
        assertError(setStatus(ControlHarness.uniqueId("nope"), "archived"), 404, "product_not_found");
        assertError(control.adminGet("/admin/v1/products?status=deleted"), 400, "bad_request");
    }

    private static JsonNode xiaozhi(String pid, String mac) {
        HttpResponse<String> r = control.xiaozhiOta(pid, mac, "1.0.0");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ControlHarness.json(r);
    }
}
