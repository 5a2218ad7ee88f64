package io.otaedge.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.testing.Await;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * Issue 13, fault 1: {@code redis-server} killed with SIGKILL under a running control and edge (separate processes),
 * then restarted on its port with its AOF. What each side must see:
 * <ul>
 *   <li>readiness ({@code /health/ready} on control's and the edge's admin ports) is 503 within 1 s of the kill
 *       (the probe alone: 500 ms, {@code RedisProbeTest});</li>
 *   <li>every dialect's check gets that dialect's "try later", never a 5xx with a trace: OneNET errno 7 (HTTP 200:
 *       its devices' only server-side code, read with {@code sscanf} into a small buffer, so the text stays OneNET's
 *       own), xiaozhi the seed's 500 {@code Failed to read device auto_update status}, now with {@code Retry-After} (the
 *       firmware, {@code 78/xiaozhi-esp32} {@code main/ota.cc}, retries any non-200 with doubling delays), FOG 503
 *       with code 503 and {@code Retry-After}, Aliyun Living HTTP 200 with code 503 "service not available." (the
 *       Living API's own system code), LuatOS a status of 300 or more (its devices' "no upgrade now"); an admin
 *       write 503 {@code store_unavailable}, also one whose command was in flight when Redis died;</li>
 *   <li>a download whose token was validated before the kill finishes, byte for byte;</li>
 *   <li>within 2 s of Redis answering again, both services are ready and checks and downloads work, without a
 *       restart;</li>
 *   <li>every admin write acknowledged before the kill is still there (Redis' AOF with {@code appendfsync everysec}
 *       keeps what it wrote to the page cache when only the process dies).</li>
 * </ul>
 */
@Tag("slow") // real processes: run by `./mvnw -B verify -Pslow` (see README, Tests)
class RedisOutageFaultTest {

    static final String PRODUCT = "redisfault";
    static final Duration OUTAGE = Duration.ofSeconds(4);
    /** "At once", with room for an HTTP round trip to a JVM on a loaded 2-core host; the probe itself is held to 500 ms. */
    static final Duration UNREADY = Duration.ofSeconds(1);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // the services' logs stay for a failed run
    Path dir;

    @Test
    void redisKilledAndRestartedMeansTryLaterThenRecoveryWithinTwoSecondsAndNoAcknowledgedWriteLost() throws Exception {
        try (SplitSystem system = SplitSystem.start(dir)) {
            SplitSystem.Edge edge = system.startEdge("a");
            Admin admin = system.adminClient();
            Devices devices = new Devices(PRODUCT);
            assertThat(admin.createProduct(PRODUCT)).isEqualTo(201);
            byte[] firmware = new byte[4 << 20];
            new Random(1).nextBytes(firmware);
            JsonNode fw = admin.uploadFirmware(PRODUCT, "2.0.0", firmware);
            admin.createTask(PRODUCT, fw.get("id").asText());
            String oneNet = admin.oneNetAuthorization(PRODUCT);
            String fogAuth = admin.call("POST", "/admin/v1/products/" + PRODUCT + "/fog-token", "", 200).get("authorization").asText();
            String iotToken = admin.call("GET", "/admin/v1/products/" + PRODUCT + "/aliyun-token", null, 200).get("iotToken").asText();
            String projectKey = admin.call("GET", "/admin/v1/products/" + PRODUCT + "/luatos-key", null, 200).get("projectKey").asText();
            String token = devices.oneNetToken(system.device(""), oneNet, 1);

            // Acknowledged writes, the last one just before the kill.
            List<String> acknowledged = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                assertThat(admin.createProduct("acked" + i)).isEqualTo(201);
                acknowledged.add("acked" + i);
            }

            // A download whose token the edge has validated, held open by a slow reader.
            ResumingDownload held = new ResumingDownload("/ota/download/" + token);
            CompletableFuture<Boolean> heldDone = CompletableFuture.supplyAsync(() -> {
                try {
                    return held.attempt(edge.port, 4096, 5);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Await.until(Duration.ofSeconds(10), () -> held.received() > 64 * 1024, "the held download under way");

            // An admin write in flight when Redis dies: Redis holds writes (CLIENT PAUSE), the write is sent, Redis is killed.
            try (RedisConnector pauser = RedisConnector.connect(system.redisUri())) {
                pauser.sync().clientPause(30_000); // every client: control and edges wait
            }
            CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return admin.call("POST", "/admin/v1/products", "{\"productId\":\"inflight\",\"name\":\"x\"}");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            LockSupport.parkNanos(Duration.ofMillis(300).toNanos()); // lets the write reach the paused Redis

            system.killRedis();
            long killed = System.nanoTime();
            Await.until(UNREADY, () -> ServiceJvm.status(system.controlReady()) == 503, "control unready");
            long controlUnready = System.nanoTime() - killed;
            Await.until(UNREADY, () -> ServiceJvm.status(edge.ready()) == 503, "edge unready");
            long edgeUnready = System.nanoTime() - killed;

            // Each dialect's "try later", answered quickly and without a trace.
            long asked = System.nanoTime();
            HttpResponse<String> oneNetDirect = devices.oneNetCheck(system.device(""), oneNet, 2, "1.0.0");
            long oneNetMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);
            assertThat(oneNetDirect.statusCode()).isEqualTo(200);
            assertThat(oneNetDirect.body()).isEqualTo("{\"errno\":7,\"error\":\"internal error\",\"data\":{}}");
            HttpResponse<String> oneNetViaEdge = devices.oneNetCheck(edge.url(""), oneNet, 2, "1.0.0");
            assertThat(oneNetViaEdge.statusCode()).isEqualTo(200);
            assertThat(oneNetViaEdge.body()).isEqualTo(oneNetDirect.body());

            HttpResponse<String> xiaozhi = devices.xiaozhi(system.device(""), "aa:bb:cc:00:00:02");
            assertThat(xiaozhi.statusCode()).as(xiaozhi.body()).isEqualTo(500);
            assertThat(xiaozhi.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(xiaozhi.body()).isEqualTo("{\"error\":\"Failed to read device auto_update status\"}");

            HttpResponse<String> fog = devices.fog(system.device(""), fogAuth, "aabbcc000002");
            assertThat(fog.statusCode()).as(fog.body()).isEqualTo(503);
            assertThat(fog.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(Json.mapper().readTree(fog.body()).get("meta").get("code").asInt()).isEqualTo(503);

            HttpResponse<String> aliyun = devices.aliyun(system.device(""), iotToken, "dev2");
            assertThat(aliyun.statusCode()).as(aliyun.body()).isEqualTo(200);
            JsonNode aliyunReply = Json.mapper().readTree(aliyun.body());
            assertThat(aliyunReply.get("code").asInt()).as(aliyun.body()).isEqualTo(503);
            assertThat(aliyunReply.get("message").asText()).isEqualTo("service not available.");

            HttpResponse<String> luatos = devices.luatos(edge.url(""), projectKey, "860000000000002");
            assertThat(luatos.statusCode()).as(luatos.body()).isGreaterThanOrEqualTo(300);

            HttpResponse<String> inFlightWrite = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(inFlightWrite.statusCode()).as("a write in flight at the kill: " + inFlightWrite.body()).isEqualTo(503);
            assertThat(inFlightWrite.body()).contains("store_unavailable");
            HttpResponse<String> write = admin.call("POST", "/admin/v1/products", "{\"productId\":\"during\",\"name\":\"x\"}");
            assertThat(write.statusCode()).as(write.body()).isEqualTo(503);
            assertThat(write.body()).contains("store_unavailable");
            for (HttpResponse<String> r : List.of(inFlightWrite, oneNetDirect, oneNetViaEdge, xiaozhi, fog, aliyun, luatos, write)) {
                assertThat(r.body()).as("no trace on the wire").doesNotContain("Exception").doesNotContain("\tat ");
            }

            // The validated download finishes while Redis is still down.
            held.pace(0);
            assertThat(heldDone.get(60, TimeUnit.SECONDS)).as("held download complete").isTrue();
            assertThat(held.sha256()).isEqualTo(sha256(firmware));
            assertThat(System.nanoTime() - killed).as("the download finished during the outage")
                    .isLessThan(OUTAGE.toNanos());

            LockSupport.parkNanos(OUTAGE.toNanos() - (System.nanoTime() - killed)); // the outage lasts OUTAGE in all
            system.startRedis();
            long back = System.nanoTime();
            Await.until(Duration.ofSeconds(2), () -> ServiceJvm.status(system.controlReady()) == 200, "control ready again");
            long controlReady = System.nanoTime() - back;
            Await.until(Duration.ofSeconds(2), () -> ServiceJvm.status(edge.ready()) == 200, "edge ready again");
            long edgeReady = System.nanoTime() - back;
            String again = Await.until(Duration.ofSeconds(2), () -> {
                try {
                    return devices.oneNetCheck(system.device(""), oneNet, 3, "1.0.0").body();
                } catch (Exception e) {
                    return e.toString();
                }
            }, body -> body.startsWith("{\"errno\":0,"), "a OneNET check served again");
            long checksBack = System.nanoTime() - back;
            assertThat(checksBack).isLessThan(Duration.ofSeconds(2).toNanos());
            String freshToken = Json.mapper().readTree(again).get("data").get("token").asText();
            ResumingDownload fresh = new ResumingDownload("/ota/download/" + freshToken);
            assertThat(fresh.attempt(edge.port, 64 * 1024, 0)).isTrue();
            assertThat(fresh.sha256()).isEqualTo(sha256(firmware));
            assertThat(devices.xiaozhi(system.device(""), "aa:bb:cc:00:00:03").statusCode()).isEqualTo(200);

            for (String product : acknowledged) {
                assertThat(admin.call("GET", "/admin/v1/products/" + product, null).statusCode()).as(product).isEqualTo(200);
            }
            assertThat(admin.call("GET", "/admin/v1/products/during", null).statusCode())
                    .as("the write refused with 503 was not made").isEqualTo(404);

            System.out.printf("FAULT redis-kill: unready control %d ms, edge %d ms; OneNET check during outage %d ms;"
                            + " ready after restart control %d ms, edge %d ms; OneNET served %d ms after restart;"
                            + " held download %d bytes complete during a %d s outage%n",
                    ms(controlUnready), ms(edgeUnready), oneNetMillis, ms(controlReady), ms(edgeReady), ms(checksBack),
                    held.received(), OUTAGE.toSeconds());
        }
    }

    static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
