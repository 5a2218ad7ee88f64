package io.otaedge.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.ReplicaAck;
import io.otaedge.common.testing.Await;
import io.otaedge.common.testing.RedisCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * Issue 14's fleet: a real Redis Cluster (3 masters, 3 replicas, {@link RedisCluster}), two controls and two edges,
 * each a JVM of its own on its own ports ({@link ClusterFleet}), the controls writing one blob directory. In order,
 * on the same fleet:
 * <ol>
 *   <li>the mixed fleet: one device of each dialect checks through one control, downloads the whole image from one
 *       edge and a range from the other, and reports through the other control; both controls then show the same task
 *       figures, which add up (each device once, its served bytes exactly what the two edges sent it);</li>
 *   <li>a master failover mid-campaign: OneNET devices check through both controls and download ranges from both
 *       edges while the master holding the product's slot is killed with SIGKILL; checks and downloads carry on once
 *       its replica is promoted; the pause is measured; no device gets a wrong byte; what the failover lost of the
 *       writes acknowledged before it is counted;</li>
 *   <li>an edge killed with SIGKILL mid-download: the device resumes with {@code Range} on the other edge and the
 *       sha-256 of what it assembled is the firmware's.</li>
 * </ol>
 * The devices' requests are those of {@link Devices} (the standalone's end-to-end shapes); the resume is the FOG v2
 * SDK's ({@code MXCHIP/Fog_v2_MiCOKIT_ENJOY} {@code fog_ota.c}), as {@link EdgeKillFaultTest} replays it.
 */
@Tag("slow") // real processes: run by `./mvnw -B verify -Pslow` (see README, Tests)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFleetFaultTest {

    static final String PRODUCT = "fleet";
    static final String OLD = "1001.0.1";
    static final String TARGET = "1001.0.2";
    static final int SLICE = 16 * 1024;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final Devices devices = new Devices(PRODUCT);
    // Larger than loopback's socket buffers (up to 4 MiB each way), so a kill does cut a download under way.
    final byte[] firmware = new byte[8 << 20];

    RedisCluster cluster;
    RedisConnector redis;
    ClusterFleet fleet;
    ClusterFleet.Control c1;
    ClusterFleet.Control c2;
    ClusterFleet.Edge a;
    ClusterFleet.Edge b;
    String taskId;
    String firmwareId;
    String oneNet;

    @BeforeAll
    void startFleetAndCreateTheCampaign(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        // The services' logs stay in dir for a failed run.
        cluster = RedisCluster.start();
        fleet = ClusterFleet.start(dir, cluster.uri(), List.of(Map.of(), Map.of()), 2);
        redis = RedisConnector.connect(cluster.uri());
        c1 = fleet.controls.get(0);
        c2 = fleet.controls.get(1);
        a = fleet.edges.get(0);
        b = fleet.edges.get(1);
        new Random(14).nextBytes(firmware);
        // The product and its firmware through one control, the task through the other: it must know the firmware.
        assertThat(c1.adminClient().createProduct(PRODUCT)).isEqualTo(201);
        firmwareId = c1.adminClient().uploadFirmware(PRODUCT, TARGET, firmware).get("id").asText();
        taskId = c2.adminClient().createTask(PRODUCT, firmwareId);
        oneNet = c2.adminClient().oneNetAuthorization(PRODUCT);
    }

    @AfterAll
    void stopFleet() throws Exception {
        try {
            if (redis != null) {
                redis.close();
            }
            if (fleet != null) {
                fleet.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Test
    @Order(1)
    void fiveDialectsCheckDownloadAndReportThroughEitherInstanceAndTheTaskFiguresAddUpOnBothControls() throws Exception {
        String fogAuth = c1.adminClient().call("POST", "/admin/v1/products/" + PRODUCT + "/fog-token", "", 200)
                .get("authorization").asText();
        String iotToken = c2.adminClient().call("GET", "/admin/v1/products/" + PRODUCT + "/aliyun-token", null, 200)
                .get("iotToken").asText();
        String projectKey = c1.adminClient().call("GET", "/admin/v1/products/" + PRODUCT + "/luatos-key", null, 200)
                .get("projectKey").asText();
        long oneNetDevice = 7001;
        String xiaozhi = "aa:bb:cc:00:14:01";
        String fog = "fog-14";
        String aliyun = "ali-14";
        String luatos = "861551056414001";

        // Checks alternate between the controls; each offer is a path on whichever edge.
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("onenet", "/ota/download/" + ok(devices.oneNetCheck(c1.device(""), oneNet, oneNetDevice, OLD))
                .get("data").get("token").asText());
        paths.put("xiaozhi", path(ok(devices.xiaozhi(c2.device(""), xiaozhi, OLD)).get("firmware").get("url").asText()));
        paths.put("fog", path(ok(devices.fog(c1.device(""), fogAuth, fog, OLD)).get("data").get("files").get(0)
                .get("file_url").asText()));
        paths.put("aliyun", path(ok(devices.aliyun(c2.device(""), "/living/ota/firmware/file/get", iotToken, aliyun,
                ",\"currentVersion\":\"" + OLD + "\"")).get("data").get("url").asText()));
        paths.put("luatos", "/api/site/firmware_upgrade?project_key=" + projectKey + "&firmware_name=" + PRODUCT
                + "_LuatOS-SoC_EC618&version=" + OLD + "&imei=" + luatos);

        // The whole image from one edge, a range from the other (edge a asks control 1, edge b control 2).
        int turn = 0;
        for (Map.Entry<String, String> e : paths.entrySet()) {
            ClusterFleet.Edge whole = turn % 2 == 0 ? a : b;
            ClusterFleet.Edge part = turn++ % 2 == 0 ? b : a;
            HttpResponse<byte[]> all = get(whole.url(e.getValue()), null);
            assertThat(all.statusCode()).as(e.getKey() + " whole from edge " + whole.id).isEqualTo(200);
            assertThat(RedisOutageFaultTest.sha256(all.body())).as(e.getKey()).isEqualTo(RedisOutageFaultTest.sha256(firmware));
            HttpResponse<byte[]> range = get(part.url(e.getValue()), "bytes=1000-1999");
            assertThat(range.statusCode()).as(e.getKey() + " range from edge " + part.id).isEqualTo(206);
            assertThat(range.body()).as(e.getKey() + " range").isEqualTo(Arrays.copyOfRange(firmware, 1000, 2000));
        }

        // Progress through the other control than the check's; LuatOS has no progress call.
        String token = paths.get("onenet").substring("/ota/download/".length());
        for (int step : new int[] {100, 201}) {
            JsonNode p = ok(devices.oneNetProgress(c2.device(""), oneNet, token, oneNetDevice, step));
            assertThat(p.get("errno").asInt()).as(step + " " + p).isZero();
        }
        assertThat(ok(devices.xiaozhi(c1.device(""), xiaozhi, TARGET)).get("firmware").get("version").asText()).isEqualTo(TARGET);
        assertThat(ok(devices.fog(c2.device(""), fogAuth, fog, TARGET)).get("data").get("need_ota").asBoolean()).isFalse();
        assertThat(ok(devices.aliyun(c1.device(""), "/living/ota/progress/report", iotToken, aliyun,
                ",\"firmwareVersion\":\"" + TARGET + "\",\"step\":\"-2\"")).get("code").asInt()).isEqualTo(200);

        // Both controls read the same figures once both edges flushed; every device counted once.
        long perDevice = firmware.length + 1000;
        // Reads only derive DOWNLOADING; a control's periodic fold may record it between the two reads (the row then
        // gains its downloadingAt), so both are read again until they agree.
        List<JsonNode> both = Await.until(Duration.ofSeconds(15), () -> List.of(progress(c1), progress(c2)),
                p -> p.get(0).get("counts").get("DOWNLOADING").asInt() == 1
                        && StreamSupport.stream(p.get(0).get("devices").spliterator(), false)
                        .allMatch(d -> d.get("servedBytes").asLong() == perDevice)
                        && p.get(1).get("devices").equals(p.get(0).get("devices")),
                "both edges' byte counts in the task, read alike by both controls");
        JsonNode one = both.get(0);
        JsonNode two = both.get(1);
        assertThat(two.get("counts")).as("control 2 reads what control 1 reads").isEqualTo(one.get("counts"));
        assertThat(two.get("devices")).isEqualTo(one.get("devices"));
        assertThat(one.get("total").asInt()).isEqualTo(5);
        int sum = 0;
        for (JsonNode n : one.get("counts")) {
            sum += n.asInt();
        }
        assertThat(sum).as("counts add up to the devices: " + one).isEqualTo(5);
        assertThat(one.get("counts").get("SUCCEEDED").asInt()).isEqualTo(3);
        assertThat(one.get("counts").get("FAILED").asInt()).isEqualTo(1);
        assertThat(one.get("stages").get(0).get("enrolled").asInt()).isEqualTo(5);
        Map<String, String> states = new HashMap<>();
        one.get("devices").forEach(d -> states.put(d.get("deviceId").asText(), d.get("state").asText()));
        assertThat(states).containsEntry(Long.toString(oneNetDevice), "SUCCEEDED").containsEntry(xiaozhi, "SUCCEEDED")
                .containsEntry(fog, "SUCCEEDED").containsEntry(aliyun, "FAILED").containsEntry(luatos, "DOWNLOADING");
        System.out.printf("FLEET mixed: 5 dialects checked through 2 controls, downloaded whole and by range from 2 edges,"
                + " reported through the other control; both controls read %s, %d bytes served per device%n",
                one.get("counts"), perDevice);
    }

    @Test
    @Order(2)
    void adminWritesWaitUntilAReplicaOfEveryMasterHasThemAtAMeasuredCost() throws Exception {
        int writes = 40;
        long[] admin = new long[writes];
        for (int i = 0; i < writes; i++) {
            ClusterFleet.Control c = i % 2 == 0 ? c1 : c2;
            long t = System.nanoTime();
            HttpResponse<String> r = c.adminClient().call("POST", "/admin/v1/products",
                    "{\"productId\":\"waited-" + i + "\",\"name\":\"Waited\"}");
            admin[i] = System.nanoTime() - t;
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            assertThat(r.headers().firstValue("X-OTA-Replicas")).as("replicas that confirmed the write").hasValue("1");
        }
        // The same write at the Redis level, without and with the WAIT on every master.
        ReplicaAck ack = new ReplicaAck(redis);
        long[] plain = new long[writes];
        long[] waited = new long[writes];
        for (int i = 0; i < writes; i++) {
            String key = RedisKeys.product("cost-" + i);
            long t = System.nanoTime();
            redis.async().set(key, "x").toCompletableFuture().get(5, TimeUnit.SECONDS);
            plain[i] = System.nanoTime() - t;
            t = System.nanoTime();
            redis.async().set(key, "y").toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(ack.await().toCompletableFuture().get(5, TimeUnit.SECONDS)).hasValue(1);
            waited[i] = System.nanoTime() - t;
        }
        System.out.printf("FLEET wait-cost: admin product create through control with WAIT 1 on every master: median %.2f ms,"
                        + " p90 %.2f ms; at the Redis level a SET: median %.2f ms, p90 %.2f ms; SET + WAIT 1 on every master:"
                        + " median %.2f ms, p90 %.2f ms (%d writes each, 3 masters, loopback)%n", pct(admin, 50), pct(admin, 90),
                pct(plain, 50), pct(plain, 90), pct(waited, 50), pct(waited, 90), writes);
    }

    @Test
    @Order(3)
    void checksAndDownloadsCarryOnThroughAMasterFailoverWithABoundedPauseAndNoWrongByte() throws Exception {
        Campaign campaign = new Campaign();
        ExecutorService pool = Executors.newFixedThreadPool(Campaign.WORKERS);
        try {
            for (int w = 0; w < Campaign.WORKERS; w++) {
                pool.submit(campaign::run);
            }
            Await.until(Duration.ofSeconds(30), () -> campaign.successes() >= 20, "20 checks and downloads before the kill");

            String productKey = RedisKeys.product(PRODUCT);
            RedisCluster.Node killed = cluster.kill9MasterOf(productKey);
            long killedAt = System.nanoTime();
            List<String> ackedBefore = campaign.tokens();
            Await.until(Duration.ofSeconds(40), () -> campaign.recoveredAfter(killedAt), "checks and downloads through"
                    + " both controls and both edges after the failover");
            campaign.stop.set(true);
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

            assertThat(campaign.wrongBytes).as("bytes that differ from the firmware").isEmpty();
            assertThat(campaign.unexpected).as("answers other than success, a dialect's try-later or a lost token").isEmpty();
            assertThat(cluster.masterOf(productKey).port()).as("the product's slot moved to the promoted replica")
                    .isNotEqualTo(killed.port());

            // Writes acknowledged before the kill: a token the edge no longer finds was lost with the master.
            int lost = 0;
            for (String token : ackedBefore) {
                int status = get(b.url("/ota/download/" + token), "bytes=0-0").statusCode();
                assertThat(status).as("token acknowledged before the kill").isIn(206, 404);
                lost += status == 404 ? 1 : 0;
            }
            // The edges' last flushes may still move a device on between two reads: wait until both read the same.
            JsonNode one = Await.until(Duration.ofSeconds(10), () -> List.of(progress(c1), progress(c2)),
                    p -> p.get(0).get("counts").equals(p.get(1).get("counts")), "both controls to agree after the failover").get(0);
            int sum = 0;
            for (JsonNode n : one.get("counts")) {
                sum += n.asInt();
            }
            assertThat(sum).as("counts add up to the devices: " + one.get("counts")).isEqualTo(one.get("total").asInt());
            // The promoted replica has no replica of its own: an admin write there is not stalled for WAIT's timeout.
            long t = System.nanoTime();
            HttpResponse<String> write = c1.adminClient().call("PUT", "/admin/v1/products/" + PRODUCT + "/firmwares/"
                    + firmwareId + "/status", "{\"status\":\"ONLINE\"}");
            long writeMs = RedisOutageFaultTest.ms(System.nanoTime() - t);
            assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
            assertThat(write.headers().firstValue("X-OTA-Replicas")).as("no replica confirmed the write").hasValue("0");
            assertThat(writeMs).as("ms for an admin write on the promoted master").isLessThan(ReplicaAck.TIMEOUT.toMillis());
            Campaign.Pause checks = campaign.pause(killedAt, "control");
            Campaign.Pause downloads = campaign.pause(killedAt, "edge");
            System.out.printf("FLEET failover: master %s of the product's slot killed with SIGKILL; checks: first failure"
                            + " %d ms after the kill, first success again %d ms after it (the pause), last failure at %d ms;"
                            + " range downloads: first failure at %d ms, last at %d ms; %d checks and %d downloads succeeded,"
                            + " %d calls told to try later, 0 wrong bytes; tokens acknowledged before the kill and lost: %d of"
                            + " %d%n", killed, checks.firstFailure(), checks.pause(), checks.lastFailure(),
                    downloads.firstFailure(), downloads.lastFailure(), campaign.checks.get(), campaign.downloads.get(),
                    campaign.failures.get(), lost, ackedBefore.size());
            System.out.printf("FLEET failover admin write: answered in %d ms with X-OTA-Replicas: 0 (no live replica)%n", writeMs);
        } finally {
            campaign.stop.set(true);
            pool.shutdownNow();
        }
    }

    @Test
    @Order(4)
    void anEdgeKilledMidDownloadTheDeviceResumesByRangeOnTheOtherEdgeToTheRightSha256() throws Exception {
        String token = Await.until(Duration.ofSeconds(20), this::freshToken, t -> t != null, "a OneNET token");
        ResumingDownload d = new ResumingDownload("/ota/download/" + token);
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> {
            try {
                return d.attempt(a.port, 4096, 5);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until(Duration.ofSeconds(30), () -> d.received() >= 256 * 1024, "the download under way on edge a");
        a.kill();
        d.pace(0);
        assertThat(first.get(30, TimeUnit.SECONDS)).as("the download cut by the kill").isFalse();
        long cutAt = d.received();
        assertThat(cutAt).isLessThan(firmware.length);
        assertThat(EdgeKillFaultTest.resume(d, b.port)).as("resumed to the end on edge b").isTrue();
        assertThat(d.statusLines().get(0)).isEqualTo("HTTP/1.1 200 OK");
        assertThat(d.statusLines().get(d.statusLines().size() - 1)).isEqualTo("HTTP/1.1 206 Partial Content");
        assertThat(d.total()).isEqualTo(firmware.length);
        assertThat(d.sha256()).isEqualTo(RedisOutageFaultTest.sha256(firmware));
        System.out.printf("FLEET edge-kill: edge a killed after %d of %d bytes; resumed with Range on edge b, sha-256 correct%n",
                cutAt, firmware.length);
    }

    /** The {@code p}-th percentile of durations in nanoseconds, in milliseconds. */
    private static double pct(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
    }

    /** A token from a OneNET check of a new device through control 1, or null while the check is refused. */
    private String freshToken() {
        try {
            HttpResponse<String> r = devices.oneNetCheck(c1.device(""), oneNet, 900_001, OLD);
            JsonNode reply = Json.mapper().readTree(r.body());
            return reply.path("errno").asInt(-1) == 0 ? reply.get("data").get("token").asText() : null;
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * OneNET devices in a loop, each a new device: a check through one control, then a 16 KiB range of its offer
     * from one edge, compared with the firmware; every outcome logged with its start time.
     */
    final class Campaign {
        static final int WORKERS = 4;

        record Outcome(long startedAt, boolean ok, String where) {
        }

        record Pause(long firstFailure, long pause, long lastFailure) {
        }

        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger checks = new AtomicInteger();
        final AtomicInteger downloads = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> issued = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> wrongBytes = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();

        void run() {
            while (!stop.get()) {
                int n = next.getAndIncrement();
                ClusterFleet.Control control = n % 2 == 0 ? c1 : c2;
                ClusterFleet.Edge edge = (n / 2) % 2 == 0 ? a : b;
                long started = System.nanoTime();
                String token;
                try {
                    HttpResponse<String> r = devices.oneNetCheck(control.device(""), oneNet, 100_000 + n, OLD);
                    JsonNode reply = r.statusCode() == 200 ? Json.mapper().readTree(r.body()) : null;
                    if (reply == null || reply.path("errno").asInt(-1) != 0) {
                        if (r.statusCode() != 200 || reply.path("errno").asInt() != 7) {
                            unexpected.add("check " + r.statusCode() + " " + r.body());
                        }
                        fail(started, "control " + control.name);
                        continue;
                    }
                    token = reply.get("data").get("token").asText();
                    issued.add(token);
                    checks.incrementAndGet();
                    outcomes.add(new Outcome(started, true, "control " + control.name));
                } catch (Exception e) {
                    fail(started, "control " + control.name);
                    continue;
                }
                long startedDownload = System.nanoTime();
                int from = (int) ((n * 7919L * 1024) % (firmware.length - SLICE));
                try {
                    HttpResponse<byte[]> r = get(edge.url("/ota/download/" + token), "bytes=" + from + "-" + (from + SLICE - 1));
                    if (r.statusCode() == 206) {
                        if (!Arrays.equals(r.body(), Arrays.copyOfRange(firmware, from, from + SLICE))) {
                            wrongBytes.add("token " + token + " from " + from + " on edge " + edge.id);
                        }
                        downloads.incrementAndGet();
                        outcomes.add(new Outcome(startedDownload, true, "edge " + edge.id));
                    } else {
                        if (r.statusCode() != 503 || r.headers().firstValue("Retry-After").isEmpty()) {
                            unexpected.add("download " + r.statusCode() + " on edge " + edge.id);
                        }
                        fail(startedDownload, "edge " + edge.id);
                    }
                } catch (Exception e) {
                    fail(startedDownload, "edge " + edge.id);
                }
            }
        }

        private void fail(long started, String where) {
            failures.incrementAndGet();
            outcomes.add(new Outcome(started, false, where));
        }

        int successes() {
            return (int) outcomes.stream().filter(Outcome::ok).count();
        }

        List<String> tokens() {
            return new ArrayList<>(issued);
        }

        /**
         * Whether, after the kill, every control and every edge has answered with success to calls that started
         * after the last failure, three times each (so the service is back, not lucky on an unaffected slot).
         */
        boolean recoveredAfter(long killedAt) {
            List<Outcome> after = outcomes.stream().filter(o -> o.startedAt() > killedAt).toList();
            long lastFailure = after.stream().filter(o -> !o.ok()).mapToLong(Outcome::startedAt).max().orElse(killedAt);
            Map<String, Integer> since = new HashMap<>();
            after.stream().filter(o -> o.ok() && o.startedAt() > lastFailure).forEach(o -> since.merge(o.where(), 1, Integer::sum));
            return since.size() == 4 && since.values().stream().allMatch(c -> c >= 3)
                    && System.nanoTime() - lastFailure > Duration.ofSeconds(2).toNanos();
        }

        /**
         * Milliseconds, for the calls to {@code kind} ("control" or "edge") started after the kill: the first failure,
         * from it to the first success started after it (the pause), and the last failure.
         */
        Pause pause(long killedAt, String kind) {
            List<Outcome> after = outcomes.stream().filter(o -> o.startedAt() > killedAt && o.where().startsWith(kind)).toList();
            long first = after.stream().filter(o -> !o.ok()).mapToLong(Outcome::startedAt).min().orElse(killedAt);
            long last = after.stream().filter(o -> !o.ok()).mapToLong(Outcome::startedAt).max().orElse(killedAt);
            long back = after.stream().filter(o -> o.ok() && o.startedAt() > first).mapToLong(Outcome::startedAt).min().orElse(first);
            return new Pause(RedisOutageFaultTest.ms(first - killedAt), RedisOutageFaultTest.ms(back - first),
                    RedisOutageFaultTest.ms(last - killedAt));
        }
    }

    private HttpResponse<byte[]> get(String url, String range) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).GET();
        if (range != null) {
            r.header("Range", range);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonNode progress(ClusterFleet.Control control) {
        try {
            return control.adminClient().progress(taskId);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The body of a 200 answer. */
    private static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    /** The path and query of an offered URL, to send to whichever edge. */
    private static String path(String url) {
        URI u = URI.create(url);
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }
}
