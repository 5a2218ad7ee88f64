package io.otaedge.control.metrics;

import static io.otaedge.control.ControlHarness.authorization;
import static io.otaedge.control.ControlHarness.seedBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.progress.DownloadProgressStore;
import java.util.List;
import io.otaedge.common.metrics.PrometheusText;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import io.otaedge.control.task.TaskRepository;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /metrics and health on the admin port without the key, and the ota_control_* meters moving with real requests. */
class ControlMetricsTest {

    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final byte[] FIRMWARE = "metrics firmware".repeat(64).getBytes(StandardCharsets.US_ASCII);

    static ControlHarness control;

    @BeforeAll
    static void start() {
        control = new ControlHarness("OTA_MAX_FIRMWARE_SIZE", "4096");
    }

    @AfterAll
    static void stop() {
        control.close();
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    @Test
    void metricsAndHealthAnswerWithoutTheAdminKeyWhileTheApiStillNeedsIt() throws Exception {
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        PrometheusText t = PrometheusText.parse(metrics.body());
        assertThat(t.has("ota_control_checks_total")).isTrue();
        assertThat(t.sum("ota_control_checks_total", Map.of("dialect", "aliyun", "outcome", "upgrade"))).isZero();
        assertThat(t.has("ota_control_tokens_issued_total")).isTrue();
        assertThat(t.has("ota_control_redis_errors_total")).isTrue();
        assertThat(t.has("jvm_threads_live_threads")).isTrue();
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        await(() -> get("/health/ready").statusCode() == 200);
        assertThat(get("/admin/v1/products/x").statusCode()).isEqualTo(401);
    }

    @Test
    void checksAreCountedByOutcomeAndOnlyNewTokensAreCounted() throws Exception {
        String productId = ControlHarness.uniqueId("metrics");
        String auth = authorization(control.createProduct(productId), productId);
        JsonNode fw = control.uploadFirmware(productId, "2.0", FIRMWARE);
        PrometheusText before = scrape();

        control.checkJson(auth, seedBody(1, "1.0"));                       // no task yet
        control.createTask(productId, "{\"firmwareId\":\"" + fw.get("id").asText() + "\"}");
        control.checkJson(auth, seedBody(1, "1.0"));                       // upgrade, new token
        control.checkJson(auth, seedBody(1, "1.0"));                       // upgrade, the same token
        control.checkJson("version=2022-05-01&res=products%2Fnope&et=1&method=sha256&sign=x", seedBody(1, "1.0"));

        PrometheusText after = scrape();
        assertThat(delta(before, after, "ota_control_checks_total", Map.of("dialect", "onenet", "outcome", "no_task"))).isEqualTo(1);
        assertThat(delta(before, after, "ota_control_checks_total", Map.of("dialect", "onenet", "outcome", "upgrade"))).isEqualTo(2);
        assertThat(delta(before, after, "ota_control_checks_total", Map.of("dialect", "onenet", "outcome", "rejected"))).isEqualTo(1);
        assertThat(delta(before, after, "ota_control_tokens_issued_total", Map.of())).isEqualTo(1);
        assertThat(delta(before, after, "ota_control_http_requests_total", Map.of("port", "device", "status", "200"))).isEqualTo(4);
        assertThat(delta(before, after, "ota_control_http_requests_total", Map.of("port", "admin", "status", "201"))).isEqualTo(1);
    }

    @Test
    void firmwareUploadsAreCountedByResult() throws Exception {
        String productId = ControlHarness.uniqueId("uploads");
        control.createProduct(productId);
        PrometheusText before = scrape();
        control.uploadFirmware(productId, "1.0", FIRMWARE);
        assertThat(control.upload(productId, "version=1.1", new byte[5000]).statusCode()).isEqualTo(413);
        assertThat(control.upload(productId, "version=1.0", FIRMWARE).statusCode()).isEqualTo(409);
        PrometheusText after = scrape();
        assertThat(delta(before, after, "ota_control_firmware_uploads_total", Map.of("result", "ok"))).isEqualTo(1);
        assertThat(delta(before, after, "ota_control_firmware_uploads_total", Map.of("result", "too_large"))).isEqualTo(1);
        assertThat(delta(before, after, "ota_control_firmware_uploads_total", Map.of("result", "rejected"))).isEqualTo(1);
        assertThat(delta(before, after, "ota_control_firmware_uploads_total", Map.of("result", "error"))).isZero();
    }

    /** The mistakes of issue #17's list (a missing version fired OtaControlFirmwareUploadErrors) are rejections. */
    @Test
    void anUploadTheCallerGotWrongIsRejectedNotAnError() throws Exception {
        String productId = ControlHarness.uniqueId("rejects");
        control.createProduct(productId);
        PrometheusText before = scrape();
        assertThat(control.upload(productId, "module=default", FIRMWARE).statusCode()).isEqualTo(400);        // no version
        assertThat(control.upload(productId, "version=1.0&fileName=a/b", FIRMWARE).statusCode()).isEqualTo(400); // bad name
        assertThat(control.upload(productId, "version=1.0", new byte[0]).statusCode()).isEqualTo(400);       // empty
        assertThat(control.upload("no-such-product", "version=1.0", FIRMWARE).statusCode()).isEqualTo(404);
        PrometheusText after = scrape();
        assertThat(delta(before, after, "ota_control_firmware_uploads_total", Map.of("result", "rejected"))).isEqualTo(4);
        assertThat(delta(before, after, "ota_control_firmware_uploads_total", Map.of("result", "error"))).isZero();
    }

    /** A disk that refuses the upload's temp file is ours to fix: a 500 counted as {@code error}, what the alert watches. */
    @Test
    void anUploadTheDiskRefusesIsAnError() throws Exception {
        String productId = ControlHarness.uniqueId("diskerr");
        control.createProduct(productId);
        Path tmp = control.blobDir.resolve("tmp");
        Path aside = control.blobDir.resolve("tmp-aside");
        PrometheusText before = scrape();
        Files.move(tmp, aside);
        Files.writeString(tmp, "a file where the temp directory was"); // root ignores permissions; this fails for anyone
        try {
            assertThat(control.upload(productId, "version=1.0", FIRMWARE).statusCode()).isEqualTo(500);
        } finally {
            Files.delete(tmp);
            Files.move(aside, tmp);
        }
        PrometheusText after = scrape();
        assertThat(delta(before, after, "ota_control_firmware_uploads_total", Map.of("result", "error"))).isEqualTo(1);
        assertThat(delta(before, after, "ota_control_firmware_uploads_total", Map.of("result", "rejected"))).isZero();
    }

    @Test
    void taskGaugesFollowTheDeviceStatesOfRunningTasks() {
        String productId = ControlHarness.uniqueId("gauges");
        String auth = authorization(control.createProduct(productId), productId);
        JsonNode fw = control.uploadFirmware(productId, "3.0", FIRMWARE);
        String task = control.createTask(productId, "{\"firmwareId\":\"" + fw.get("id").asText() + "\"}").get("id").asText();
        control.checkJson(auth, seedBody(1, "1.0"));
        control.checkJson(auth, seedBody(2, "1.0"));

        ControlMetrics metrics = control.server.metrics();
        try (TaskGauges gauges = new TaskGauges(metrics, control.redis.async(), new TaskRepository(control.redis.async()),
                Duration.ofMillis(100)).start()) {
            await(() -> metrics.registry().find("ota.control.task.devices").tags("task", task, "state", "to_be_upgraded")
                    .gauge() != null
                    && metrics.registry().get("ota.control.task.devices").tags("task", task, "state", "to_be_upgraded")
                    .gauge().value() == 2);
            assertThat(metrics.registry().get("ota.control.task.devices").tags("task", task, "state", "failed")
                    .gauge().value()).isZero();
            assertThat(metrics.registry().get("ota.control.task.failure.ratio").tags("task", task).gauge().value()).isZero();

            // Bytes an edge served device 2 make it DOWNLOADING in the gauges, as in the progress view.
            new DownloadProgressStore(control.redis.async())
                    .add(productId, task, List.of(new DownloadProgressStore.Increment("2", 100, 100))).toCompletableFuture().join();
            await(() -> metrics.registry().get("ota.control.task.devices").tags("task", task, "state", "downloading")
                    .gauge().value() == 1);
            assertThat(metrics.registry().get("ota.control.task.devices").tags("task", task, "state", "to_be_upgraded")
                    .gauge().value()).isEqualTo(1);
        }
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, Map<String, String> labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    private static PrometheusText scrape() throws Exception {
        return PrometheusText.parse(get("/metrics").body());
    }

    private static HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(control.admin(path)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
    }
}
