package io.otaedge.control.admin;

import static io.otaedge.control.ControlHarness.authorization;
import static io.otaedge.control.ControlHarness.seedBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.progress.DownloadProgressStore.Increment;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bytes the edges flushed to Redis show in a task's progress as DOWNLOADING with a percentage. */
class TaskDownloadProgressTest {

    private static ControlHarness control;

    @BeforeAll
    static void start() {
        control = new ControlHarness();
    }

    @AfterAll
    static void stop() {
        control.close();
    }

    @Test
    void servedBytesMakeADeviceDownloadingWithItsPercentage() {
        String pid = ControlHarness.uniqueId("dl");
        String key = control.createProduct(pid);
        String fw = control.uploadFirmware(pid, "2.0", new byte[4000]).get("id").asText();
        String taskId = control.createTask(pid, "{\"firmwareId\":\"" + fw + "\"}").get("id").asText();
        String auth = authorization(key, pid);
        control.checkJson(auth, seedBody(1, "1.0"));
        control.checkJson(auth, seedBody(2, "1.0"));

        new DownloadProgressStore(control.redis.async())
                .add(pid, taskId, List.of(new Increment("1", 1500, 1000), new Increment("1", 0, 3000)))
                .toCompletableFuture().join();

        JsonNode p = ControlHarness.json(control.adminGet("/admin/v1/tasks/" + taskId + "/progress"));
        assertThat(p.get("counts").get("DOWNLOADING").asInt()).isEqualTo(1);
        assertThat(p.get("counts").get("TO_BE_UPGRADED").asInt()).isEqualTo(1);
        for (JsonNode d : p.get("devices")) {
            if (d.get("deviceId").asText().equals("1")) {
                assertThat(d.get("state").asText()).isEqualTo("DOWNLOADING");
                assertThat(d.get("servedBytes").asLong()).isEqualTo(1500);
                assertThat(d.get("downloadPercent").asInt()).isEqualTo(75);
            } else {
                assertThat(d.get("state").asText()).isEqualTo("TO_BE_UPGRADED");
                assertThat(d.get("servedBytes").asLong()).isZero();
                assertThat(d.get("downloadPercent").asInt()).isZero();
            }
        }
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    @Test
    void aDifferentialPackagesShareIsOfItsOwnSizeNotTheFullImages() {
        String pid = ControlHarness.uniqueId("dl-delta");
        String key = control.createProduct(pid);
        String fw = control.uploadFirmware(pid, "2.0", new byte[4000]).get("id").asText();
        control.uploadPackage(pid, "2.0", "&sourceVersion=1.0", new byte[1000]);
        String taskId = control.createTask(pid, "{\"firmwareId\":\"" + fw + "\"}").get("id").asText();
        JsonNode offer = control.checkJson(authorization(key, pid), seedBody(7, "1.0"));
        assertThat(offer.get("data").get("type").asInt()).as("the delta is offered").isEqualTo(2);
        assertThat(offer.get("data").get("size").asLong()).isEqualTo(1000);

        new DownloadProgressStore(control.redis.async()).add(pid, taskId, List.of(new Increment("7", 500, 500)))
                .toCompletableFuture().join();

        JsonNode device = ControlHarness.json(control.adminGet("/admin/v1/tasks/" + taskId + "/progress")).get("devices").get(0);
        assertThat(device.get("state").asText()).isEqualTo("DOWNLOADING");
        assertThat(device.get("downloadPercent").asInt()).isEqualTo(50);
        assertThat(device.get("step").asInt()).isEqualTo(50);
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }
}
