package io.otaedge.control.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.otaedge.common.redis.LocalRedisServer;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import io.otaedge.control.dialect.xiaozhi.XiaozhiStore;
import io.otaedge.control.task.DeviceTaskState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device data written in the layout before the device buckets (every device-level key under the product's
 * one tag {@code ota:{p:<pid>}}, as RedisKeys/ControlKeys and the scripts of commit 49c9706 wrote them) is
 * re-keyed into the buckets when control starts: the task's figures, rows, order, token pointers, served
 * bytes, auto-pause marks, device hashes and histories, and xiaozhi activations read the same afterwards, no old key is left, and a
 * second run changes nothing. Its own Redis, so the schema marker is this test's alone.
 */
class DeviceBucketMigrationTest {

    private static final int DEVICES = 1_234;
    private static final DeviceTaskState[] CYCLE = {DeviceTaskState.TO_BE_UPGRADED, DeviceTaskState.DOWNLOADING,
            DeviceTaskState.SUCCEEDED, DeviceTaskState.FAILED};

    @TempDir
    Path dir;

    @Test
    void oldLayoutDeviceDataIsReKeyedIntoBucketsAtStartAndReadsTheSame() {
        try (LocalRedisServer server = LocalRedisServer.start(dir.resolve("redis"));
             RedisConnector redis = RedisConnector.connect(server.uri())) {
            RedisClusterCommands<String, String> r = redis.sync();
            String pid;
            String taskId;
            String fwId;
            ControlHarness before = new ControlHarness(redis);
            try {
                assertThat(r.get(DeviceBucketMigration.MARKER)).as("a fresh Redis is marked at once").isEqualTo("buckets-64");
                pid = ControlHarness.uniqueId("mig");
                before.createProduct(pid);
                fwId = before.uploadFirmware(pid, "2.0", new byte[4000]).get("id").asText();
                taskId = before.createTask(pid, "{\"firmwareId\":\"" + fwId + "\",\"minSample\":1000}").get("id").asText();
            } finally {
                before.close();
            }

            // The old layout, written as the old scripts wrote it.
            String tag = "ota:{p:" + pid + "}";
            String task = tag + ":task:" + taskId;
            Map<String, Long> stats = new HashMap<>();
            for (int i = 0; i < DEVICES; i++) {
                String did = "dev-" + i;
                DeviceTaskState state = CYCLE[i % CYCLE.length];
                r.zadd(task + ":devs", 1_700_000_000_000L + i / 3, did);
                r.hset(task + ":dev:" + did, Map.of("state", state.name(), "stage", "0", "attempts", "1",
                        "offeredAt", Long.toString(1_700_000_000_000L + i / 3), "fromVersion", "1.0", "packageId", fwId,
                        "packageType", "1", "token", "ota_old" + i, "updatedAt", "1700000000000"));
                stats.merge("state:" + state.name(), 1L, Long::sum);
                stats.merge("stage:0:enrolled", 1L, Long::sum);
                if (state == DeviceTaskState.SUCCEEDED || state == DeviceTaskState.FAILED) {
                    stats.merge("stage:0:" + state.name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
                }
                r.hset(tag + ":dev:" + did, Map.of("firstSeenAt", "1700000000000", "fotaVersion", "1.0"));
                r.hset(tag + ":dev:" + did + ":tasks", taskId, "1|default|2.0");
            }
            Map<String, String> oldStats = new HashMap<>();
            stats.forEach((k, v) -> oldStats.put(k, Long.toString(v)));
            oldStats.put("autoPausedAt", "1700000000123");
            oldStats.put("autoPausedStage", "0");
            r.hset(task + ":stats", oldStats);
            r.set(task + ":tok:dev-0", "ota_old0 {\"token\":\"ota_old0\"}", io.lettuce.core.SetArgs.Builder.px(600_000));
            r.hset(task + ":served", "dev-1", "1500");
            r.hset(task + ":servedEnd", "dev-1", "3000");
            r.hset(tag + ":dev:lonely", Map.of("firstSeenAt", "1700000000999", "fotaVersion", "0.9"));
            // xiaozhi activations: pending with a code that names the device's bucket, pending with one that
            // does not, bound and activated with codes that do not.
            Map<String, String> codes = new HashMap<>();
            String[][] activations = {{"xz-a", "PENDING", "0"}, {"xz-b", "PENDING", "1"}, {"xz-c", "BOUND", "1"},
                    {"xz-d", "ACTIVATED", "1"}};
            for (String[] a : activations) {
                int bucket = (RedisKeys.bucket(a[0]) + Integer.parseInt(a[2])) % RedisKeys.DEVICE_BUCKETS;
                String code = String.format("%06d", 64 * (100 + codes.size()) + bucket);
                codes.put(a[0], code);
                r.hset(tag + ":xz:act:" + a[0], Map.of("state", a[1], "code", code, "challenge", "ch-" + a[0]));
                if (!a[1].equals("ACTIVATED")) {
                    r.pexpire(tag + ":xz:act:" + a[0], 3_600_000);
                    r.set(tag + ":xz:code:" + code, a[0], io.lettuce.core.SetArgs.Builder.px(3_600_000));
                }
            }
            r.del(DeviceBucketMigration.MARKER);

            ControlHarness after = new ControlHarness(redis);
            try {
                assertThat(r.get(DeviceBucketMigration.MARKER)).isEqualTo("buckets-64");
                JsonNode progress = ControlHarness.json(after.adminGet("/admin/v1/tasks/" + taskId + "/progress"));
                assertThat(progress.get("total").asInt()).isEqualTo(DEVICES);
                for (DeviceTaskState s : CYCLE) {
                    assertThat(progress.get("counts").get(s.name()).asLong()).as(s.name()).isEqualTo(stats.get("state:" + s.name()));
                }
                JsonNode stage = progress.get("stages").get(0);
                assertThat(stage.get("enrolled").asInt()).isEqualTo(DEVICES);
                assertThat(stage.get("succeeded").asLong()).isEqualTo(stats.get("stage:0:succeeded"));
                assertThat(stage.get("failed").asLong()).isEqualTo(stats.get("stage:0:failed"));
                assertThat(progress.get("autoPausedStage").asInt()).isZero();
                assertThat(progress.get("autoPausedAt").asText()).isEqualTo("2023-11-14T22:13:20.123Z");

                // Rows in the order the devices joined (ties by id, as the old sorted set ordered them).
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < DEVICES; i++) {
                    expected.add("dev-" + i);
                }
                expected.sort(java.util.Comparator.comparingLong((String d) -> Long.parseLong(d.substring(4)) / 3)
                        .thenComparing(d -> d));
                List<String> listed = new ArrayList<>();
                progress.get("devices").forEach(d -> listed.add(d.get("deviceId").asText()));
                assertThat(listed).containsExactlyElementsOf(expected);
                JsonNode first = ControlHarness.json(after.adminGet("/admin/v1/tasks/" + taskId + "/progress?limit=5")).get("devices");
                assertThat(first).hasSize(5);
                for (int i = 0; i < 5; i++) {
                    assertThat(first.get(i).get("deviceId").asText()).isEqualTo(expected.get(i));
                }
                JsonNode served = progress.get("devices").get(expected.indexOf("dev-1"));
                assertThat(served.get("servedBytes").asLong()).isEqualTo(1500);

                assertThat(r.get(RedisKeys.deviceToken(pid, taskId, "dev-0"))).isEqualTo("ota_old0 {\"token\":\"ota_old0\"}");
                assertThat(r.pttl(RedisKeys.deviceToken(pid, taskId, "dev-0"))).as("the pointer keeps its TTL").isBetween(1L, 600_000L);
                JsonNode lonely = ControlHarness.json(after.adminGet("/admin/v1/products/" + pid + "/devices/lonely"));
                assertThat(lonely.get("fotaVersion").asText()).isEqualTo("0.9");
                JsonNode dev7 = ControlHarness.json(after.adminGet("/admin/v1/products/" + pid + "/devices/dev-7"));
                assertThat(dev7.get("tasks").get(0).get("taskId").asText()).isEqualTo(taskId);
                assertThat(dev7.get("tasks").get(0).get("state").asText()).isEqualTo(CYCLE[7 % CYCLE.length].name());

                Set<Integer> buckets = new HashSet<>();
                for (int b = 0; b < RedisKeys.DEVICE_BUCKETS; b++) {
                    if (r.zcard(RedisKeys.taskDevices(pid, taskId, b)) > 0) {
                        buckets.add(b);
                    }
                }
                assertThat(buckets).as("the devices spread over every bucket").hasSize(RedisKeys.DEVICE_BUCKETS);
                assertThat(r.exists(task + ":devs", task + ":stats", task + ":served", task + ":servedEnd",
                        task + ":dev:dev-5", task + ":tok:dev-0", tag + ":dev:dev-5", tag + ":dev:dev-5:tasks", tag + ":dev:lonely"))
                        .as("no old-layout key is left").isZero();

                XiaozhiStore xiaozhi = new XiaozhiStore(redis.async());
                assertThat(xiaozhi.bind(pid, codes.get("xz-a")).block()).as("a pending code that names its bucket binds").isEqualTo("xz-a");
                assertThat(r.pttl(XiaozhiStore.activationKey(pid, "xz-a"))).as("and keeps its TTL").isBetween(1L, 3_600_000L);
                assertThat(xiaozhi.bind(pid, codes.get("xz-b")).block()).as("a pending code of another bucket is gone").isNull();
                XiaozhiStore.Activation fresh = xiaozhi.activation(pid, "xz-b", false, null).block();
                assertThat(fresh.state()).isEqualTo("PENDING");
                assertThat(XiaozhiStore.bucketOf(fresh.code())).as("its new code names its bucket").isEqualTo(RedisKeys.bucket("xz-b"));
                assertThat(xiaozhi.activate(pid, "xz-c", "ch-xz-c", null).block()).as("bound, then activated").isEqualTo("ACTIVATED");
                assertThat(xiaozhi.activate(pid, "xz-d", "ch-xz-d", null).block()).as("activated stays so").isEqualTo("ACTIVATED");
                for (String[] a : activations) {
                    assertThat(r.exists(tag + ":xz:act:" + a[0], tag + ":xz:code:" + codes.get(a[0]))).as(a[0]).isZero();
                }

                // A second run (a crashed migration restarted) changes nothing.
                new DeviceBucketMigration(redis).migrateAll("test");
                JsonNode again = ControlHarness.json(after.adminGet("/admin/v1/tasks/" + taskId + "/progress"));
                assertThat(again.get("counts")).isEqualTo(progress.get("counts"));
                assertThat(again.get("stages")).isEqualTo(progress.get("stages"));
                assertThat(NonBlockingCheck.violations()).isEmpty();
            } finally {
                after.close();
            }
        }
    }
}
