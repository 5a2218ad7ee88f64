package io.otaedge.control.admin;

import static io.otaedge.control.admin.AdminApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.testing.Await;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import io.otaedge.control.RunningControlTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code PATCH /admin/v1/tasks/{id}}: a merge patch of the create body's fields, validated as a create is, stored
 * atomically, identity and live state kept; seen at once by the control it went through and, through the catalog
 * change message, by another long before its {@code OTA_CATALOG_CACHE_TTL}.
 */
class TaskEditTest extends RunningControlTest {

    @Test
    void anEditChangesTargetingAndRateAndKeepsIdentityStatusAndStage() {
        Task t = task(control, "edit", "{\"firmwareId\":\"%s\",\"stages\":[10,100],\"devices\":[\"a\"],\"retry\":2}");
        control.adminPost("/admin/v1/tasks/" + t.id() + "/pause", "");
        HttpResponse<String> r = control.adminPatch("/admin/v1/tasks/" + t.id(),
                "{\"devices\":[\"a\",\"b\"],\"maximumPerMinute\":50,\"retry\":null}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode edited = ControlHarness.json(r);
        JsonNode read = ControlHarness.json(control.adminGet("/admin/v1/tasks/" + t.id()));
        assertThat(read).isEqualTo(edited);
        assertThat(read.get("devices").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(read.get("maximumPerMinute").asInt()).isEqualTo(50);
        assertThat(read.get("retry").asInt()).as("null: back to the default").isEqualTo(3);
        assertThat(read.get("stages").toString()).as("untouched fields stay").isEqualTo("[10.0,100.0]");
        for (String kept : new String[] {"id", "productId", "firmwareId", "createdAt", "firmware"}) {
            assertThat(read.get(kept)).as(kept).isEqualTo(t.created().get(kept));
        }
        assertThat(read.get("status").asText()).isEqualTo("PAUSED");
        assertThat(read.get("stage").asInt()).isZero();
    }

    @Test
    void abortCriteriaAreEditedKeptByOtherEditsAndRemovedWithNull() {
        Task t = task(control, "editabort", "{\"firmwareId\":\"%s\",\"abortCriteria\":[{\"failureType\":\"FAILED\","
                + "\"action\":\"CANCEL\",\"thresholdPercentage\":20,\"minNumberOfExecutedThings\":100}]}");
        String path = "/admin/v1/tasks/" + t.id();
        HttpResponse<String> r = control.adminPatch(path, "{\"abortCriteria\":[{\"failureType\":\"ALL\",\"action\":\"CANCEL\","
                + "\"thresholdPercentage\":12.5,\"minNumberOfExecutedThings\":10}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String edited = "[{\"failureType\":\"ALL\",\"action\":\"CANCEL\",\"thresholdPercentage\":12.5,\"minNumberOfExecutedThings\":10}]";
        assertThat(ControlHarness.json(control.adminGet(path)).get("abortCriteria").toString()).isEqualTo(edited);
        assertThat(control.adminPatch(path, "{\"retry\":1}").statusCode()).isEqualTo(200);
        assertThat(ControlHarness.json(control.adminGet(path)).get("abortCriteria").toString())
                .as("an edit of another field keeps the criteria").isEqualTo(edited);
        HttpResponse<String> bad = control.adminPatch(path, "{\"abortCriteria\":[{\"failureType\":\"ALL\",\"action\":\"CANCEL\","
                + "\"thresholdPercentage\":0,\"minNumberOfExecutedThings\":10}]}");
        assertError(bad, 400, "bad_request");
        assertThat(bad.body()).contains("abortCriteria");
        assertError(control.adminPatch(path, "{\"rollbackOf\":\"task_x\"}"), 400, "immutable_field");
        assertThat(control.adminPatch(path, "{\"abortCriteria\":null}").statusCode()).isEqualTo(200);
        assertThat(ControlHarness.json(control.adminGet(path)).has("abortCriteria")).as("null: back to none").isFalse();
    }

    @Test
    void validationErrorsNameTheField() {
        Task t = task(control, "editbad", "{\"firmwareId\":\"%s\",\"stages\":[10,50,100]}");
        String path = "/admin/v1/tasks/" + t.id();
        HttpResponse<String> stages = control.adminPatch(path, "{\"stages\":[50,40]}");
        assertError(stages, 400, "bad_request");
        assertThat(stages.body()).contains("stages must be increasing");
        HttpResponse<String> power = control.adminPatch(path, "{\"power\":101}");
        assertError(power, 400, "bad_request");
        assertThat(power.body()).contains("power");
        HttpResponse<String> rate = control.adminPatch(path, "{\"baseRatePerMinute\":5}");
        assertError(rate, 400, "bad_request");
        assertThat(rate.body()).contains("incrementFactor is missing");
        HttpResponse<String> unknown = control.adminPatch(path, "{\"retry\":1,\"colour\":\"red\"}");
        assertError(unknown, 400, "unknown_field");
        assertThat(unknown.body()).contains("'colour'");
        HttpResponse<String> fixed = control.adminPatch(path, "{\"firmwareId\":\"fw_x\",\"status\":\"RUNNING\"}");
        assertError(fixed, 400, "immutable_field");
        assertThat(fixed.body()).contains("'firmwareId'", "'status'");
        assertError(control.adminPatch(path, "[1]"), 400, "bad_request");
        assertThat(ControlHarness.json(control.adminGet(path)).get("retry").asInt()).as("nothing refused was stored").isEqualTo(3);

        control.adminPost(path + "/advance", "{\"stage\":2}");
        HttpResponse<String> shorter = control.adminPatch(path, "{\"stages\":[50,100]}");
        assertError(shorter, 400, "bad_request");
        assertThat(shorter.body()).contains("stages must keep the stage the task is at");
    }

    @Test
    void aStoppedOrUnknownTaskIsNotEditedAndTheRouteAnswersPatchIn405Allow() {
        Task t = task(control, "editstop", "{\"firmwareId\":\"%s\"}");
        control.adminPost("/admin/v1/tasks/" + t.id() + "/stop", "");
        assertError(control.adminPatch("/admin/v1/tasks/" + t.id(), "{\"retry\":1}"), 409, "task_stopped");
        assertError(control.adminPatch("/admin/v1/tasks/task_nope", "{\"retry\":1}"), 404, "task_not_found");
        HttpResponse<String> put = control.send(control.adminRequest("/admin/v1/tasks/" + t.id())
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("GET, PATCH");
    }

    @Test
    void anEditOrAStopAppliesAtOnceWhereItWasMadeAndOnAnotherControlLongBeforeItsCacheTtl() {
        // An hour of cache: only the change message can make b see the edit in this test's time. No device rate
        // limit: b is asked for device 8 until it sees the edit.
        try (ControlHarness a = new ControlHarness("OTA_CATALOG_CACHE_TTL", "PT1H", "OTA_RATE_DEVICE_PER_MINUTE", "0");
             ControlHarness b = new ControlHarness(a.redis, "OTA_CATALOG_CACHE_TTL", "PT1H", "OTA_RATE_DEVICE_PER_MINUTE", "0")) {
            Task t = task(a, "editttl", "{\"firmwareId\":\"%s\",\"devices\":[\"7\"]}");
            String auth = ControlHarness.authorization(t.accessKey(), t.productId());
            assertThat(errno(a, auth, 8)).as("8 is not targeted").isEqualTo(11);
            assertThat(errno(b, auth, 8)).as("b caches the task list now").isEqualTo(11);

            assertThat(a.adminPatch("/admin/v1/tasks/" + t.id(), "{\"devices\":[\"7\",\"8\"]}").statusCode()).isEqualTo(200);
            assertThat(errno(a, auth, 8)).as("through a: a's copy was dropped").isZero();
            Await.until(Duration.ofSeconds(5), () -> errno(b, auth, 8) == 0, "b to see the edit (its copy would live an hour)");

            assertThat(errno(b, auth, 7)).as("b caches the edited task list now").isZero();
            assertThat(a.adminPost("/admin/v1/tasks/" + t.id() + "/stop", "").statusCode()).isEqualTo(200);
            Await.until(Duration.ofSeconds(5), () -> errno(b, auth, 7) == 11, "b to see the stop");
        }
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    private record Task(String productId, String accessKey, String id, JsonNode created) {
    }

    private static Task task(ControlHarness c, String prefix, String bodyFormat) {
        String pid = ControlHarness.uniqueId(prefix);
        String key = c.createProduct(pid);
        String fw = c.uploadFirmware(pid, "2.0", new byte[] {1, 2, 3}).get("id").asText();
        JsonNode created = c.createTask(pid, bodyFormat.formatted(fw));
        return new Task(pid, key, created.get("id").asText(), created);
    }

    private static int errno(ControlHarness c, String auth, long device) {
        return c.checkJson(auth, ControlHarness.seedBody(device, "1.0")).get("errno").asInt();
    }
}
