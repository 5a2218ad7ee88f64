package io.otaedge.conformance.hawkbit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.testing.Await;
import io.otaedge.conformance.ConformanceSystem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's SWUpdate 2022.12 ({@code swupdate} 2022.12+dfsg-4+deb12u3, suricatta's hawkBit client
 * {@code suricatta/server_hawkbit.c} of github.com/sbabic/swupdate at tag 2022.12) against the standalone, as a
 * real process in dry-run: it polls the DDI base, sends its configData, fetches the deployment, downloads the
 * {@code .swu} from the edge's token URL (with its target token on the download too), verifies the CMS-signed
 * image and installs it (dry-run), and reports; restarted with {@code -c 2} (the update
 * booted fine), it sends {@code closed}/{@code success}, which completes the device's task. Debian's build has no
 * {@code CONFIG_SURICATTA_SSL}: it requires {@code hashes.sha1} in the artifact but does not compare it (an
 * SSL build does); swupdate's own check is the image's signature and its files' sha256. Downloads go through
 * {@link EdgeProxy} (the edge is advertised at its address), which can drop or hold one: the resumed download
 * follows {@code corelib/channel_curl.c} ({@code channel_get_file}: retries with {@code CURLOPT_RESUME_FROM_LARGE}),
 * the cancellation {@code server_check_during_dwl} and {@code server_send_cancel_reply} of the same tag.
 */
class SwupdateSuricattaTest {

    /** Where the proxy cuts or holds a download: about a third of the image. */
    static final int CUT_AFTER = 40_000;
    static final Duration RUN_LIMIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static ConformanceSystem system;
    static EdgeProxy proxy;
    static RedisConnector redis;
    static Path cert;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        // Devices download through a proxy that can cut or hold a download: the edge is advertised at its address.
        proxy = EdgeProxy.start();
        // One poll a second (the tenant's polling sleep, which swupdate obeys): off the per-device limit.
        system = ConformanceSystem.start(dir.resolve("data"), "OTA_RATE_DEVICE_PER_MINUTE", "0",
                "OTA_EDGE_PUBLIC_ADDRESS", "127.0.0.1:" + proxy.port());
        proxy.forwardTo(system.edgePort());
        redis = RedisConnector.connect(system.standalone().redisUri());
        cert = SwuImage.certificate(Files.createDirectories(dir.resolve("image")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.close();
        }
        if (system != null) {
            system.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    /** A tenant of its own per test (a task is offered to every device of its product), polled once a second. */
    private static void tenant(String product) throws Exception {
        system.createProduct(product);
        system.admin("PUT", "/admin/v1/products/" + product + "/hawkbit",
                "{\"pollingSleep\":\"00:00:01\",\"targetTokenAuth\":true}", 200);
    }

    /** A signed image of {@code version} uploaded to {@code product}, and a task for it; the task id. */
    private static String task(String product, String version, byte[][] swuOut) throws Exception {
        byte[] swu = SwuImage.build(dir.resolve("image"), version, "the new root file system\n".repeat(4000)
                .getBytes(StandardCharsets.US_ASCII));
        JsonNode fw = system.uploadFirmware(product, "default", version, "update.swu", swu);
        assertThat(fw.path("sha1").asText()).isEqualTo(SwuImage.hex("SHA-1", swu));
        swuOut[0] = swu;
        return system.createTask(product, "{\"firmwareId\":\"" + fw.get("id").asText() + "\"}");
    }

    @Test
    void swupdateInstallsInDryRunAndItsClosedSuccessMovesTheDeviceToSucceeded() throws Exception {
        String product = "hbswu";
        tenant(product);
        String device = "gw-whole-1";
        String token = targetToken(product, device);
        byte[][] swuOut = new byte[1][];
        String taskId = task(product, "2.0.0", swuOut);
        byte[] swu = swuOut[0];
        double sentBefore = edgeBytesSent();

        Path run1 = Files.createDirectories(dir.resolve("run1"));
        try (Suricatta swupdate = Suricatta.start(run1, cert, controlUrl(), product, device, token, "1.0.0", null)) {
            // "All Chunks Installed." (proceeding, cnt = of) after the dry-run install: installed, pending its reboot.
            awaitState(taskId, device, "UPGRADING", swupdate);
            // Logged after its last feedback, which may reach us first.
            Await.until(RUN_LIMIT, () -> swupdate.log().contains("Update successful, executing post-update actions."),
                    "the dry-run install");
            assertThat(swupdate.log()).contains("SWUPDATE successful").contains("Verified OK")
                    .contains("Hardware compatibility verified");
        }
        assertThat(edgeBytesSent() - sentBefore).as("the edge served the image").isGreaterThanOrEqualTo(swu.length);
        JsonNode attrs = system.admin("GET", "/admin/v1/products/" + product + "/devices/" + device, null, 200);
        assertThat(attrs.toString()).contains("attr:hwId");

        Path run2 = Files.createDirectories(dir.resolve("run2"));
        try (Suricatta swupdate = Suricatta.start(run2, cert, controlUrl(), product, device, token, "2.0.0", 2)) {
            awaitState(taskId, device, "SUCCEEDED", swupdate);
        }
        assertThat(meter(system.adminPort(), "ota_control_checks_total\\{[^}]*dialect=\"hawkbit\"[^}]*outcome=\"upgrade\"[^}]*\\}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(meter(system.adminPort(), "ota_control_progress_reports_total\\{[^}]*dialect=\"hawkbit\"[^}]*\\}"))
                .isGreaterThanOrEqualTo(2);
    }

    /**
     * The link drops after {@value #CUT_AFTER} bytes of the image; suricatta ({@code -r 3 -w 1}: three retries a
     * second apart, channel_curl.c's {@code CURLOPT_RESUME_FROM_LARGE}) asks the rest with
     * {@code Range: bytes=<received>-}, the edge answers 206, and the image installs.
     */
    @Test
    void swupdateResumesACutDownloadWithRangeAndInstalls() throws Exception {
        String product = "hbresume";
        tenant(product);
        String device = "gw-resume-1";
        String token = targetToken(product, device);
        String taskId = task(product, "2.0.0", new byte[1][]);
        int seen = proxy.requests().size();
        proxy.cutNextGet(CUT_AFTER);

        Path run = Files.createDirectories(dir.resolve("resume"));
        try (Suricatta swupdate = Suricatta.start(run, cert, controlUrl(), product, device, token, "1.0.0", null)) {
            awaitState(taskId, device, "UPGRADING", swupdate);
            Await.until(RUN_LIMIT, () -> swupdate.log().contains("SWUPDATE successful"), "the dry-run install");
            assertThat(swupdate.log()).contains("Verified OK");
        }
        List<EdgeProxy.Request> gets = proxy.requests().subList(seen, proxy.requests().size()).stream()
                .filter(r -> r.method.equals("GET")).toList();
        assertThat(gets).as("the downloads through the proxy").hasSize(2);
        assertThat(gets.get(0).range).isNull();
        assertThat(gets.get(0).status).isEqualTo(200);
        assertThat(gets.get(1).target).isEqualTo(gets.get(0).target);
        assertThat(gets.get(1).range).isEqualTo("bytes=" + CUT_AFTER + "-");
        assertThat(gets.get(1).status).isEqualTo(206);
    }

    /**
     * The operator stops the task while the image downloads (held by the proxy): suricatta's check during the
     * download (server_check_during_dwl, once a polling interval) sees {@code cancelAction}, reads its
     * {@code stopId}, aborts the download and answers the cancelAction's feedback {@code closed}/{@code success}
     * (server_send_cancel_reply). The answer is kept on the device; the task is not offered again.
     */
    @Test
    void aTaskStoppedDuringTheDownloadReachesSwupdateAsCancelActionAndItsAnswerIsRecorded() throws Exception {
        String product = "hbcancel";
        tenant(product);
        String device = "gw-cancel-1";
        String token = targetToken(product, device);
        String taskId = task(product, "2.0.0", new byte[1][]);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = proxy.holdNextGet(CUT_AFTER, release);

        Path run = Files.createDirectories(dir.resolve("cancel"));
        try (Suricatta swupdate = Suricatta.start(run, cert, controlUrl(), product, device, token, "1.0.0", null)) {
            Await.until(RUN_LIMIT, () -> held.getCount() == 0 || !swupdate.alive(), "the download held mid-way");
            long heldAt = System.nanoTime();
            system.admin("POST", "/admin/v1/tasks/" + taskId + "/stop", null, 200);
            Await.until(RUN_LIMIT, () -> links(product, device, token).has("cancelAction"), "the cancelAction link");
            // Suricatta asks the server during a download only once a polling interval (1 s) has passed since it
            // began; nothing to observe until then, so the hold outlasts it.
            Await.until(RUN_LIMIT, () -> System.nanoTime() - heldAt > Duration.ofSeconds(2).toNanos(), "two polling intervals");
            release.countDown();
            Await.until(RUN_LIMIT, () -> swupdate.log().contains("Cancel action available"), "the cancellation seen during the download");

            String deviceKey = RedisKeys.device(product, device);
            String answer = Await.until(RUN_LIMIT, () -> cancelAnswer(deviceKey), a -> a != null,
                    "swupdate's answer to the cancellation (swupdate's log: " + swupdate.log().length() + " chars)");
            assertThat(answer).startsWith("closed/success/");
            Await.until(RUN_LIMIT, () -> !links(product, device, token).has("cancelAction"), "the cancellation done");
            // swupdate polls on: nothing more to do for it, and the stopped task is not offered again.
            int polled = swupdate.log().length();
            Await.until(RUN_LIMIT, () -> swupdate.log().substring(polled).contains("No pending action on server"),
                    "a poll after the cancellation");
            assertThat(links(product, device, token).has("deploymentBase")).isFalse();
            assertThat(swupdate.log()).doesNotContain("SWUPDATE successful");
        }
        JsonNode view = system.admin("GET", "/admin/v1/products/" + product + "/devices/" + device, null, 200);
        assertThat(view.toString()).containsPattern("hawkbit:cancel:[0-9]+\"[^\"]*\"closed/success/");
        assertThat(state(taskId, device)).isNotIn("SUCCEEDED", "UPGRADING");
    }

    /** The device's answer to a cancellation as Redis keeps it ({@code hawkbit:cancel:<action>}), or null. */
    private static String cancelAnswer(String deviceKey) {
        return redis.sync().hgetall(deviceKey).entrySet().stream()
                .filter(e -> e.getKey().startsWith("hawkbit:cancel:")).map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** The {@code _links} of a poll as the device would see it now (its own token). */
    private static JsonNode links(String product, String device, String token) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(controlUrl() + "/" + product + "/controller/v1/" + device))
                    .header("Authorization", "TargetToken " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return Json.mapper().readTree(r.body()).path("_links");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String targetToken(String product, String device) throws Exception {
        return system.admin("POST", "/admin/v1/products/" + product + "/hawkbit/devices/" + device + "/target-token", null, 201)
                .get("targetToken").asText();
    }

    private static String controlUrl() {
        return "http://127.0.0.1:" + system.devicePort();
    }

    private static void awaitState(String taskId, String device, String state, Suricatta swupdate) {
        Await.until(RUN_LIMIT, () -> {
            if (!swupdate.alive()) {
                throw new AssertionError("swupdate exited early:\n" + swupdate.log());
            }
            return state(taskId, device);
        }, state::equals, device + " in " + state + " (swupdate's log: " + swupdate.log().length() + " chars)");
    }

    private static String state(String taskId, String device) {
        try {
            JsonNode progress = system.admin("GET", "/admin/v1/tasks/" + taskId + "/progress", null, 200);
            for (JsonNode row : progress.path("devices")) {
                if (device.equals(row.path("deviceId").asText())) {
                    return row.path("state").asText();
                }
            }
            return "(not in the task)";
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static double edgeBytesSent() throws Exception {
        return meter(system.standalone().edgeAdminPort(), "ota_edge_bytes_sent_total(\\{[^}]*\\})?");
    }

    /** The sum of a Prometheus series matching {@code series} on a service's admin /metrics. */
    static double meter(int port, String series) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(text);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(m.groupCount()));
        }
        return sum;
    }
}
