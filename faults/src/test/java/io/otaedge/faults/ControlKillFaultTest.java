package io.otaedge.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * Issue 13, fault 3: control killed with SIGKILL while an edge serves. The edge needs only Redis for a download, so
 * downloads under way finish and a device that starts its download while control is down is served too; the edge
 * keeps flushing the bytes it served to Redis. After control restarts, the task's figures agree with what was
 * served: each device's served bytes are exactly the firmware's size (nothing counted twice), every served device
 * reads {@code DOWNLOADING} at 100 %, the counts add up to the devices, reading the progress again changes nothing,
 * and a device's OneNET progress report moves it on as usual.
 */
@Tag("slow") // real processes: run by `./mvnw -B verify -Pslow` (see README, Tests)
class ControlKillFaultTest {

    static final String PRODUCT = "controlfault";
    static final int DEVICES = 10;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // the services' logs stay for a failed run
    Path dir;

    @Test
    void controlKilledWhileEdgesServeDownloadsFinishAndTaskFiguresStayConsistentAfterRestart() throws Exception {
        try (SplitSystem system = SplitSystem.start(dir);
             RedisConnector redis = RedisConnector.connect(system.redisUri())) {
            SplitSystem.Edge edge = system.startEdge("a");
            Admin admin = system.adminClient();
            Devices devices = new Devices(PRODUCT);
            assertThat(admin.createProduct(PRODUCT)).isEqualTo(201);
            byte[] firmware = new byte[2 << 20];
            new Random(3).nextBytes(firmware);
            JsonNode fw = admin.uploadFirmware(PRODUCT, "2.0.0", firmware);
            String task = admin.createTask(PRODUCT, fw.get("id").asText());
            String oneNet = admin.oneNetAuthorization(PRODUCT);
            List<String> tokens = new ArrayList<>();
            for (int d = 0; d <= DEVICES; d++) {
                tokens.add(devices.oneNetToken(system.device(""), oneNet, 200 + d));
            }
            List<ResumingDownload> downloads = new ArrayList<>();
            for (int d = 0; d < DEVICES; d++) {
                downloads.add(new ResumingDownload("/ota/download/" + tokens.get(d)));
            }
            ExecutorService pool = Executors.newFixedThreadPool(DEVICES);
            try {
                List<Future<Boolean>> running = new ArrayList<>();
                for (ResumingDownload d : downloads) {
                    running.add(pool.submit(() -> d.attempt(edge.port, 4096, 10)));
                }
                Await.until(Duration.ofSeconds(30), () -> downloads.stream().allMatch(d -> d.received() >= 64 * 1024),
                        "all downloads under way");

                system.killControl();
                long killed = System.nanoTime();
                downloads.forEach(d -> d.pace(0));
                String expected = RedisOutageFaultTest.sha256(firmware);
                for (int d = 0; d < DEVICES; d++) {
                    assertThat(running.get(d).get(60, TimeUnit.SECONDS)).as("download %d finished without control", d).isTrue();
                    assertThat(downloads.get(d).sha256()).isEqualTo(expected);
                }
                ResumingDownload late = new ResumingDownload("/ota/download/" + tokens.get(DEVICES));
                assertThat(late.attempt(edge.port, 64 * 1024, 0)).as("a download started while control is down").isTrue();
                assertThat(late.sha256()).isEqualTo(expected);
                long servedWithoutControl = System.nanoTime() - killed;

                // The edge's flushes (every second) reach Redis without control; each device exactly once.
                Map<String, String> served = Await.until(Duration.ofSeconds(10), () -> servedBytes(redis, task),
                        m -> m.size() == DEVICES + 1 && m.values().stream().allMatch(v -> Long.parseLong(v) >= firmware.length),
                        "every device's bytes flushed");
                assertThat(served.values()).as("served bytes per device").allMatch(v -> Long.parseLong(v) == firmware.length);

                system.startControl();
                JsonNode progress = admin.progress(task);
                assertThat(progress.get("total").asInt()).as(progress.toString()).isEqualTo(DEVICES + 1);
                assertThat(progress.get("counts").get("DOWNLOADING").asInt()).as(progress.toString()).isEqualTo(DEVICES + 1);
                int sum = 0;
                for (JsonNode count : progress.get("counts")) {
                    sum += count.asInt();
                }
                assertThat(sum).as("counts add up to the devices: " + progress).isEqualTo(DEVICES + 1);
                for (JsonNode row : progress.get("devices")) {
                    assertThat(row.get("servedBytes").asLong()).as(row.toString()).isEqualTo(firmware.length);
                    assertThat(row.get("downloadPercent").asDouble()).as(row.toString()).isEqualTo(100.0);
                }
                JsonNode again = admin.progress(task);
                assertThat(again.get("counts")).as("reading again changes nothing").isEqualTo(progress.get("counts"));
                assertThat(again.get("devices")).isEqualTo(progress.get("devices"));

                // The devices carry on through control as usual: device 0 reports its download done, then upgraded.
                for (int step : new int[] {100, 201}) {
                    String reply = devices.oneNetProgress(system.device(""), oneNet, tokens.get(0), 200, step).body();
                    assertThat(Json.mapper().readTree(reply).get("errno").asInt()).as("step " + step + ": " + reply).isZero();
                }
                JsonNode after = admin.progress(task);
                assertThat(after.get("counts").get("DOWNLOADING").asInt()).as(after.toString()).isEqualTo(DEVICES);
                assertThat(after.get("counts").get("SUCCEEDED").asInt()).as(after.toString()).isEqualTo(1);
                assertThat(servedBytes(redis, task)).as("served bytes unchanged by control's restart")
                        .isEqualTo(served);
                System.out.printf("FAULT control-kill: %d downloads under way finished and one more started and finished"
                                + " in %d ms without control; served bytes per device exactly the firmware size after restart;"
                                + " progress counts %s%n", DEVICES, RedisOutageFaultTest.ms(servedWithoutControl), after.get("counts"));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Every device's served bytes for the task, gathered from the task's device buckets. */
    private static Map<String, String> servedBytes(RedisConnector redis, String task) {
        Map<String, String> out = new HashMap<>();
        for (int b = 0; b < RedisKeys.DEVICE_BUCKETS; b++) {
            out.putAll(redis.sync().hgetall(RedisKeys.taskServedBytes(PRODUCT, task, b)));
        }
        return out;
    }
}
