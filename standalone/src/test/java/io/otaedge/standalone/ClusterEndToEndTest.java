package io.otaedge.standalone;

import static io.otaedge.standalone.DialectDevices.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.testing.Await;
import io.otaedge.common.testing.RedisCluster;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * The standalone on a real Redis Cluster (3 masters, 3 replicas, {@link RedisCluster}) through
 * {@code OTA_REDIS_URI=redis-cluster://…}, with no embedded Redis: devices of all five dialects check,
 * download the whole image and a range through the edge, and report progress, with the same helpers as
 * {@link MixedFleetEndToEndTest}. Every script and multi-key command of the check, token, download-progress,
 * device-progress and admin paths runs here on a cluster, so a CROSSSLOT error or a key a script builds
 * itself on another node fails this test.
 */
@Tag("slow") // real processes: run by `./mvnw -B verify -Pslow` (see README, Tests)
class ClusterEndToEndTest {

    static final String OLD = "1001.0.1";
    static final String TARGET = "1001.0.2";

    static RedisCluster cluster;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void fiveDialectsCheckDownloadWholeAndARangeAndReportProgressOnARedisCluster() throws Exception {
        try (Standalone s = Standalone.start(StandaloneEndToEndTest.settings(dataDir,
                "OTA_REDIS_URI", cluster.uri(), "OTA_EDGE_PROGRESS_FLUSH", "PT0.1S"))) {
            assertThat(s.redisIsEmbedded()).isFalse();
            assertThat(Files.exists(dataDir.resolve("redis"))).as("no embedded Redis data").isFalse();
            OtaTestClient client = new OtaTestClient(s);

            // Products in different slots (each product is its own hash tag), so the listing reads across masters.
            List<String> products = List.of("cluster", "cluster-b", "cluster-c", "cluster-d");
            for (String p : products) {
                client.createProduct(p);
            }
            Set<Integer> masters = products.stream().map(p -> cluster.masterOf(RedisKeys.product(p)).port()).collect(Collectors.toSet());
            assertThat(masters).as("the products live on more than one master").hasSizeGreaterThan(1);
            JsonNode listed = json(client.adminGet("/admin/v1/products")).get("items");
            assertThat(StreamSupport.stream(listed.spliterator(), false).map(n -> n.get("productId").asText()))
                    .containsExactlyElementsOf(products);

            String product = products.get(0);
            DialectDevices devices = new DialectDevices(s, client, product);
            byte[] firmware = new byte[64_000];
            new Random(14).nextBytes(firmware);
            String fw = client.uploadFirmware(product, TARGET, "cluster.bin", firmware).get("id").asText();
            String taskId = client.createTask(product, fw);

            String oneNetAuth = client.oneNetAuthorization(product);
            String fogAuth = json(client.adminPost("/admin/v1/products/" + product + "/fog-token", "")).get("authorization").asText();
            String iotToken = json(client.adminGet("/admin/v1/products/" + product + "/aliyun-token")).get("iotToken").asText();
            String projectKey = json(client.adminGet("/admin/v1/products/" + product + "/luatos-key")).get("projectKey").asText();

            long oneNet = 7001;
            String xiaozhi = "aa:bb:cc:00:14:01";
            String fog = "fog-14";
            String aliyun = "ali-14";
            String luatos = "861551056414001";

            // Checks: each dialect's offer, as a URL on the edge.
            JsonNode oneNetOffer = client.oneNetCheck(oneNetAuth, oneNet, OLD).get("data");
            String oneNetToken = oneNetOffer.get("token").asText();
            JsonNode xiaozhiReply = devices.xiaozhi(xiaozhi, OLD);
            Map<String, String> urls = new LinkedHashMap<>();
            urls.put("onenet", "http://" + oneNetOffer.get("ipPort").asText() + "/ota/download/" + oneNetToken);
            urls.put("xiaozhi", xiaozhiReply.get("firmware").get("url").asText());
            urls.put("fog", devices.fogFile(fogAuth, fog, OLD).get("file_url").asText());
            urls.put("aliyun", devices.aliyun(iotToken, "/living/ota/firmware/file/get", aliyun,
                    ",\"currentVersion\":\"" + OLD + "\"").get("data").get("url").asText());
            urls.put("luatos", devices.luatosUrl(projectKey, luatos, OLD));

            // Downloads: the whole image, then a range of it, from the edge.
            for (Map.Entry<String, String> e : urls.entrySet()) {
                HttpResponse<byte[]> whole = client.get(e.getValue());
                assertThat(whole.statusCode()).as(e.getKey() + " whole").isEqualTo(200);
                assertThat(whole.body()).as(e.getKey() + " whole").isEqualTo(firmware);
                HttpResponse<byte[]> range = client.get(e.getValue(), "Range", "bytes=1000-1999");
                assertThat(range.statusCode()).as(e.getKey() + " range").isEqualTo(206);
                assertThat(range.body()).as(e.getKey() + " range").isEqualTo(Arrays.copyOfRange(firmware, 1000, 2000));
            }

            // xiaozhi's activation code, bound by the user (a script over the code and the activation keys).
            String code = xiaozhiReply.get("activation").get("code").asText();
            assertThat(client.adminPost("/admin/v1/products/" + product + "/xiaozhi/activations/" + code, "").statusCode())
                    .isBetween(200, 299);

            // Progress: OneNET by steps and its version, xiaozhi and FOG by the target version, Aliyun by a failure.
            for (int step : new int[] {100, 201}) {
                JsonNode p = json(client.oneNetPost(oneNetAuth, "/ota/south/device/download/" + oneNetToken + "/progress?dev_id=" + oneNet,
                        "{\"step\":" + step + "}"));
                assertThat(p.get("errno").asInt()).as(step + " " + p).isZero();
            }
            JsonNode version = json(client.oneNetPost(oneNetAuth, "/ota/device/version?dev_id=" + oneNet,
                    "{\"f_version\":\"" + TARGET + "\",\"s_version\":\"1.0.0\"}"));
            assertThat(version.get("errno").asInt()).as(version.toString()).isZero();
            assertThat(devices.xiaozhi(xiaozhi, TARGET).get("firmware").get("version").asText()).isEqualTo(TARGET);
            assertThat(devices.fogCheck(fogAuth, fog, TARGET).get("need_ota").asBoolean()).isFalse();
            assertThat(devices.aliyun(iotToken, "/living/ota/progress/report", aliyun,
                    ",\"firmwareVersion\":\"" + TARGET + "\",\"step\":\"-2\"").get("code").asInt()).isEqualTo(200);

            // The task's figures, folded with the bytes the edge served (LuatOS has no progress call).
            JsonNode progress = Await.until(Duration.ofSeconds(10), () -> progress(client, taskId),
                    p -> p.get("counts").get("DOWNLOADING").asInt() == 1, "LuatOS' device downloading by the edge's count");
            assertThat(progress.get("counts").get("SUCCEEDED").asInt()).as(progress.toString()).isEqualTo(3);
            assertThat(progress.get("counts").get("FAILED").asInt()).isEqualTo(1);
            Map<String, String> states = StreamSupport.stream(progress.get("devices").spliterator(), false)
                    .collect(Collectors.toMap(d -> d.get("deviceId").asText(), d -> d.get("state").asText()));
            assertThat(states).containsEntry(Long.toString(oneNet), "SUCCEEDED").containsEntry(xiaozhi, "SUCCEEDED")
                    .containsEntry(fog, "SUCCEEDED").containsEntry(aliyun, "FAILED").containsEntry(luatos, "DOWNLOADING");
            assertThat(progress.get("stages").get(0).get("enrolled").asInt()).isEqualTo(5);
        }
    }

    @Test
    void aProductsThousandDevicesSpreadOverTheClustersMasters() throws Exception {
        try (Standalone s = Standalone.start(StandaloneEndToEndTest.settings(dataDir, "OTA_REDIS_URI", cluster.uri()))) {
            OtaTestClient client = new OtaTestClient(s);
            String product = "cluster-spread";
            client.createProduct(product);
            String fw = client.uploadFirmware(product, TARGET, "spread.bin", new byte[1000]).get("id").asText();
            String taskId = client.createTask(product, fw);
            String auth = client.oneNetAuthorization(product);
            int devices = 1000;
            // Every device key of one bucket shares its slot: the master of each bucket's tag holds its devices.
            Map<Integer, Integer> bucketMaster = new HashMap<>();
            for (int b = 0; b < RedisKeys.DEVICE_BUCKETS; b++) {
                bucketMaster.put(b, cluster.masterOf(RedisKeys.bucketTag(product, b)).port());
            }
            Map<Integer, Integer> perMaster = new TreeMap<>();
            for (long d = 0; d < devices; d++) {
                JsonNode offer = client.oneNetCheck(auth, 30_000 + d, OLD);
                assertThat(offer.get("errno").asInt()).as(offer.toString()).isZero();
                String id = Long.toString(30_000 + d);
                int master = cluster.masterOf(RedisKeys.device(product, id)).port();
                assertThat(master).isEqualTo(bucketMaster.get(RedisKeys.bucket(id)));
                assertThat(cluster.masterOf(RedisKeys.deviceTask(product, taskId, id)).port()).isEqualTo(master);
                perMaster.merge(master, 1, Integer::sum);
            }
            System.out.printf("CLUSTER spread: %d devices of one product over masters %s (devices per master port)%n",
                    devices, perMaster);
            assertThat(perMaster).as("one product's devices live on more than one master").hasSizeGreaterThanOrEqualTo(2);
            JsonNode progress = progress(client, taskId);
            assertThat(progress.get("total").asInt()).isEqualTo(devices);
            assertThat(progress.get("counts").get("TO_BE_UPGRADED").asInt()).isEqualTo(devices);
            assertThat(progress.get("devices")).hasSize(devices);
        }
    }

    private static JsonNode progress(OtaTestClient client, String taskId) {
        try {
            return json(client.adminGet("/admin/v1/tasks/" + taskId + "/progress"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
