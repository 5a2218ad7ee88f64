package io.otaedge.control.admin;

import static io.otaedge.control.admin.AdminApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.RunningControlTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code DELETE /admin/v1/products/{p}/firmwares/{id}}: refused while a task that is not stopped uses the firmware;
 * the record and its indexes go together; the content-addressed blob goes only when no firmware of any product
 * has the same bytes.
 */
class FirmwareDeleteTest extends RunningControlTest {

    @Test
    void refusedWhileACreatedRunningOrPausedTaskUsesItThenDeletedWhole() {
        String pid = ControlHarness.uniqueId("fwdel");
        control.createProduct(pid);
        JsonNode fw = control.uploadFirmware(pid, "2.0", bytes(1));
        String id = fw.get("id").asText();
        String path = "/admin/v1/products/" + pid + "/firmwares/" + id;
        String created = control.createTask(pid, "{\"firmwareId\":\"" + id + "\",\"start\":false}").get("id").asText();
        String running = control.createTask(pid, "{\"firmwareId\":\"" + id + "\"}").get("id").asText();

        HttpAssert.refused(control.adminDelete(path), created, running);
        control.adminPost("/admin/v1/tasks/" + running + "/pause", "");
        control.adminPost("/admin/v1/tasks/" + created + "/stop", "");
        HttpAssert.refused(control.adminDelete(path), running);
        control.adminPost("/admin/v1/tasks/" + running + "/stop", "");

        assertThat(control.adminDelete(path).statusCode()).isEqualTo(204);
        assertError(control.adminGet(path), 404, "firmware_not_found");
        assertError(control.adminDelete(path), 404, "firmware_not_found");
        assertThat(ControlHarness.json(control.adminGet("/admin/v1/products/" + pid + "/firmwares")).get("items")).isEmpty();
        assertThat(Files.exists(control.blobs.pathOf(fw.get("sha256").asText()))).as("its blob").isFalse();
        assertThat(control.uploadFirmware(pid, "2.0", bytes(1)).get("id").asText()).as("the version index entry went too")
                .isNotEqualTo(id);
        assertThat(ControlHarness.json(control.adminGet("/admin/v1/tasks/" + running)).get("firmware").get("id").asText())
                .as("a stopped task keeps its snapshot").isEqualTo(id);
    }

    @Test
    void theBlobIsRemovedOnlyWhenNoFirmwareOfAnyProductReferencesIt() {
        String a = ControlHarness.uniqueId("fwblob-a");
        String b = ControlHarness.uniqueId("fwblob-b");
        control.createProduct(a);
        control.createProduct(b);
        byte[] image = bytes(2);
        JsonNode inA = control.uploadFirmware(a, "1.0", image);
        JsonNode inB = control.uploadFirmware(b, "1.1", image);
        JsonNode alsoInA = control.uploadFirmware(a, "1.2", image);
        Path blob = control.blobs.pathOf(inA.get("sha256").asText());

        assertThat(control.adminDelete("/admin/v1/products/" + a + "/firmwares/" + inA.get("id").asText()).statusCode()).isEqualTo(204);
        assertThat(Files.exists(blob)).as("still referenced in a and b").isTrue();
        assertThat(control.adminDelete("/admin/v1/products/" + b + "/firmwares/" + inB.get("id").asText()).statusCode()).isEqualTo(204);
        assertThat(Files.exists(blob)).as("still referenced in a").isTrue();
        assertThat(control.adminDelete("/admin/v1/products/" + a + "/firmwares/" + alsoInA.get("id").asText()).statusCode()).isEqualTo(204);
        assertThat(Files.exists(blob)).as("referenced by nothing").isFalse();
        assertThat(control.blobs.root().resolve("tmp").toFile().list()).as("nothing left aside").isEmpty();
    }

    private static byte[] bytes(long seed) {
        byte[] b = new byte[4096];
        new Random(seed * 7919 + System.nanoTime()).nextBytes(b);
        return b;
    }

    /** The 409 of a firmware in use, naming the tasks that use it. */
    private static final class HttpAssert {
        static void refused(java.net.http.HttpResponse<String> r, String... taskIds) {
            assertError(r, 409, "firmware_in_use");
            assertThat(r.body()).contains(taskIds);
        }
    }
}
