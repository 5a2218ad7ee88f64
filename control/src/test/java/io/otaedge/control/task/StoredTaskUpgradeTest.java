package io.otaedge.control.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.catalog.FirmwareStatus;
import io.otaedge.control.redis.ControlKeys;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A deployment upgraded in place: a task that the version before typed tasks stored in Redis (its flat JSON
 * value, field for field as that version's {@code Json.string(UpgradeTask)} wrote it, see {@link TaskJsonTest})
 * is found by id and in its product's list, shown byte for byte, offered to devices with its own settings, and
 * steered by the operator's actions.
 */
class StoredTaskUpgradeTest {

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

    /** The value the flat version wrote for a task with a window, a source version and its own retry settings. */
    static String storedByFlatVersion(String taskId, String pid, Firmware fw, String createdAt) {
        return ("{\"id\":\"%s\",\"productId\":\"%s\",\"firmwareId\":\"%s\",\"type\":1,\"sourceVersions\":[\"1.0\"],"
                + "\"devices\":[],\"signal\":0,\"power\":0,\"retry\":5,\"interval\":30,\"status\":\"RUNNING\","
                + "\"createdAt\":\"%s\",\"firmware\":%s,\"macRanges\":[],\"manufacturers\":[],\"models\":[],"
                + "\"stages\":[100.0],\"stage\":0,\"autoAdvance\":false,\"minSample\":10,\"mode\":\"COMPELLENT\","
                + "\"startAt\":\"2020-01-01T00:00:00Z\",\"endAt\":\"2999-01-01T00:00:00Z\",\"autoAdd\":true,"
                + "\"enforceThresholds\":false,\"deltaOnly\":false,\"rollback\":false}")
                .formatted(taskId, pid, fw.id(), createdAt, Json.string(fw));
    }

    @Test
    void aTaskStoredAsTheFlatJsonIsShownUnchangedOfferedAndSteered() throws Exception {
        String pid = ControlHarness.uniqueId("stored");
        String auth = ControlHarness.authorization(control.createProduct(pid), pid);
        byte[] bytes = new byte[100];
        new Random(3).nextBytes(bytes);
        String fwId = control.uploadFirmware(pid, "2.0", bytes).get("id").asText();
        var redis = control.redis.sync();
        Firmware fw = Json.mapper().readValue(redis.get(RedisKeys.firmware(pid, fwId)), Firmware.class)
                .withStatus(FirmwareStatus.ONLINE);
        String taskId = ControlHarness.uniqueId("task");
        String createdAt = "2024-05-06T07:08:09.123456Z";
        String stored = storedByFlatVersion(taskId, pid, fw, createdAt);
        // What the flat version's create script wrote: the pointer, the value, the listing, the control word.
        redis.set(RedisKeys.taskOwner(taskId), pid);
        redis.set(RedisKeys.task(pid, taskId), stored);
        redis.zadd(RedisKeys.tasks(pid), Instant.parse(createdAt).toEpochMilli(), taskId);
        redis.set(ControlKeys.taskControl(pid, taskId), "RUNNING:0");

        HttpResponse<String> got = control.adminGet("/admin/v1/tasks/" + taskId);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(stored);
        JsonNode list = ControlHarness.json(control.adminGet("/admin/v1/products/" + pid + "/tasks"));
        assertThat(list.get("items").get(0).toString()).isEqualTo(Json.mapper().readTree(stored).toString());

        JsonNode offer = control.checkJson(auth, ControlHarness.seedBody(1, "1.0"));
        assertThat(offer.get("errno").asInt()).isZero();
        assertThat(offer.get("data").get("retry").asInt()).isEqualTo(5);
        assertThat(offer.get("data").get("interval").asInt()).as("30 s with the device's jitter").isBetween(24, 36);
        assertThat(control.checkJson(auth, ControlHarness.seedBody(2, "1.1")).get("errno").asInt()).isNotZero();

        assertThat(control.adminPost("/admin/v1/tasks/" + taskId + "/pause", "").statusCode()).isEqualTo(200);
        assertThat(control.adminGet("/admin/v1/tasks/" + taskId).body())
                .isEqualTo(stored.replace("\"status\":\"RUNNING\"", "\"status\":\"PAUSED\""));
    }
}
