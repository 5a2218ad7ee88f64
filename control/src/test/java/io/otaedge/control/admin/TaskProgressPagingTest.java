package io.otaedge.control.admin;

import static io.otaedge.control.admin.AdminApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.token.TokenStore;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.RunningControlTest;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.device.DeviceCheck;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.engine.CheckOutcome;
import io.otaedge.control.engine.DeviceCheckService;
import io.otaedge.control.engine.UpgradeDecisionEngine;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.task.RolloutRateGate;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.UpgradeType;
import io.otaedge.control.token.TokenIssuer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * Task progress past 10,000 device rows: {@code ?limit=} and {@code ?cursor=} page through every row exactly once,
 * in join order, even where thousands of devices joined in the same millisecond (the cursor carries the device id
 * as well as the join time). Devices enrol through control's own check path (in this JVM, real Redis scripts).
 */
@Tag("slow") // 10,050 devices enrolled: run by `./mvnw -B verify -Pslow`
class TaskProgressPagingTest extends RunningControlTest {

    static final int DEVICES = 10_050;

    @Test
    void pagesPast10000RowsListEachDeviceOnceInJoinOrder() {
        String pid = ControlHarness.uniqueId("progpage");
        control.createProduct(pid);
        String fw = control.uploadFirmware(pid, "2.0", new byte[] {1, 2, 3}).get("id").asText();
        String taskId = control.createTask(pid, "{\"firmwareId\":\"" + fw + "\"}").get("id").asText();
        try {
            pageThrough(taskId, pid);
        } finally {
            // Stopped: the periodic jobs of the controls later tests start (task gauges, served-bytes fold) go over
            // running tasks only, and 10,050 rows would slow every one of them.
            control.adminPost("/admin/v1/tasks/" + taskId + "/stop", "");
        }
    }

    private void pageThrough(String taskId, String pid) {
        // Two join times only: 5,025 devices each in one millisecond, so pages split inside a tie.
        enrol(pid, 0, DEVICES / 2, Instant.parse("2026-05-01T00:00:00Z"));
        enrol(pid, DEVICES / 2, DEVICES, Instant.parse("2026-05-01T00:00:01Z"));

        Map<String, Integer> seen = new HashMap<>();
        String cursor = null;
        String previousJoin = "";
        int pages = 0;
        JsonNode second = null;
        String secondCursor = null;
        do {
            // Pages of 500: a 10,000-row page is allowed, but may outlast the harness' 10 s timeout on a busy machine.
            JsonNode page = progress(taskId, "limit=500" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.get("total").asLong()).isEqualTo(DEVICES);
            if (pages == 1) {
                second = page;
                secondCursor = cursor;
            }
            for (JsonNode row : page.get("devices")) {
                seen.merge(row.get("deviceId").asText(), 1, Integer::sum);
                String join = row.get("toBeUpgradedAt").asText();
                assertThat(join.compareTo(previousJoin)).as("join order").isGreaterThanOrEqualTo(0);
                previousJoin = join;
            }
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(21);
        assertThat(seen).hasSize(DEVICES);
        assertThat(seen.values()).allMatch(n -> n == 1);
        assertThat(progress(taskId, "limit=1&cursor=" + secondCursor).get("devices").get(0))
                .as("a cursor is reusable").isEqualTo(second.get("devices").get(0));
        assertError(control.adminGet("/admin/v1/tasks/" + taskId + "/progress?cursor=%25%25"), 400, "invalid_cursor");
        assertError(control.adminGet("/admin/v1/tasks/" + taskId + "/progress?limit=10001"), 400, "bad_request");
    }

    private static JsonNode progress(String taskId, String query) {
        var r = control.adminGet("/admin/v1/tasks/" + taskId + "/progress?" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ControlHarness.json(r);
    }

    /** Devices dev{from…to-1} check once at {@code at} through the check path: each is offered the task and joins it. */
    private static void enrol(String pid, int from, int to, Instant at) {
        Clock clock = Clock.fixed(at, ZoneOffset.UTC);
        RedisClusterAsyncCommands<String, String> r = control.redis.async();
        TaskRepository tasks = new TaskRepository(r);
        FirmwareRepository firmwares = new FirmwareRepository(r);
        DeviceRepository devices = new DeviceRepository(r);
        DeviceProgressService progress = new DeviceProgressService(r, tasks, devices, firmwares, Duration.ofHours(1), clock,
                new DownloadProgressStore(r));
        DeviceCheckService checks = new DeviceCheckService(devices, new UpgradeDecisionEngine(tasks, firmwares, clock),
                new TokenIssuer(r, new TokenStore(r), Duration.ofDays(1), clock, () -> { }), clock, progress,
                new RolloutRateGate(r), () -> { });
        long offered = Flux.range(from, to - from)
                .flatMap(i -> checks.check(new DeviceCheck(pid, "dev" + i, UpgradeType.FOTA, "1.0", null, null, null, null)), 8)
                .filter(o -> o instanceof CheckOutcome.Offer)
                .count().block(Duration.ofMinutes(5));
        assertThat(offered).isEqualTo(to - from);
    }
}
