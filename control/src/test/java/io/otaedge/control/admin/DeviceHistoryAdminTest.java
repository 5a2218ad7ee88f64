package io.otaedge.control.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.RunningControlTest;
import io.otaedge.control.task.DeviceTaskState;
import org.junit.jupiter.api.Test;

/** The admin API's product listing and device lookup with its task history. */
class DeviceHistoryAdminTest extends RunningControlTest {

    @Test
    void productsAreListedWithoutTheirKeys() {
        String pid = ControlHarness.uniqueId("list");
        control.createProduct(pid);
        java.util.List<JsonNode> list = control.adminList("/admin/v1/products");
        JsonNode mine = null;
        for (JsonNode p : list) {
            if (p.get("productId").asText().equals(pid)) {
                mine = p;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.has("accessKey")).isFalse();
        assertThat(mine.get("name").asText()).isEqualTo("Test");
    }

    @Test
    void aDeviceLookupShowsEveryTaskItWasOfferedNewestFirst() {
        String pid = ControlHarness.uniqueId("hist");
        String auth = ControlHarness.authorization(control.createProduct(pid), pid);
        String fw2 = control.uploadFirmware(pid, "2.0", new byte[] {1, 2, 3}).get("id").asText();
        String t1 = control.createTask(pid, "{\"firmwareId\":\"" + fw2 + "\"}").get("id").asText();
        control.checkJson(auth, ControlHarness.seedBody(9, "1.0"));
        control.server.progress().reportStep(pid, "9", t1, 100, "").block();
        control.server.progress().reportVersion(pid, "9", "default", "2.0").block();
        String fw3 = control.uploadFirmware(pid, "3.0", new byte[] {4, 5, 6}).get("id").asText();
        String t2 = control.createTask(pid, "{\"firmwareId\":\"" + fw3 + "\"}").get("id").asText();
        control.checkJson(auth, ControlHarness.seedBody(9, "2.0"));

        JsonNode dev = ControlHarness.json(control.adminGet("/admin/v1/products/" + pid + "/devices/9"));
        assertThat(dev.get("fotaVersion").asText()).isEqualTo("2.0");
        assertThat(dev.get("firstSeenAt").asText()).endsWith("Z");
        JsonNode tasks = dev.get("tasks");
        assertThat(tasks).hasSize(2);
        assertThat(tasks.get(0).get("taskId").asText()).isEqualTo(t2);
        assertThat(tasks.get(0).get("state").asText()).isEqualTo(DeviceTaskState.TO_BE_UPGRADED.name());
        assertThat(tasks.get(1).get("taskId").asText()).isEqualTo(t1);
        assertThat(tasks.get(1).get("state").asText()).isEqualTo(DeviceTaskState.SUCCEEDED.name());
        assertThat(tasks.get(1).get("fromVersion").asText()).isEqualTo("1.0");
        assertThat(tasks.get(1).get("targetVersion").asText()).isEqualTo("2.0");
    }
}
