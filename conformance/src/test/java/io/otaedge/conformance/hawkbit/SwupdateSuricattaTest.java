package io.otaedge.conformance.hawkbit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * SSL build does); swupdate's own check is the image's signature and its files' sha256.
 */
class SwupdateSuricattaTest {

    static final String PRODUCT = "hbswu";
    static final Duration RUN_LIMIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static ConformanceSystem system;
    static Path cert;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        // One poll a second (the tenant's polling sleep, which swupdate obeys): off the per-device limit.
        system = ConformanceSystem.start(dir.resolve("data"), "OTA_RATE_DEVICE_PER_MINUTE", "0");
        system.createProduct(PRODUCT);
        system.admin("PUT", "/admin/v1/products/" + PRODUCT + "/hawkbit",
                "{\"pollingSleep\":\"00:00:01\",\"targetTokenAuth\":true}", 200);
        cert = SwuImage.certificate(Files.createDirectories(dir.resolve("image")));
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void swupdateInstallsInDryRunAndItsClosedSuccessMovesTheDeviceToSucceeded() throws Exception {
        String device = "gw-whole-1";
        String token = targetToken(device);
        byte[] swu = SwuImage.build(dir.resolve("image"), "2.0.0", "the new root file system\n".repeat(4000)
                .getBytes(StandardCharsets.US_ASCII));
        JsonNode fw = system.uploadFirmware(PRODUCT, "default", "2.0.0", "update.swu", swu);
        assertThat(fw.path("sha1").asText()).isEqualTo(SwuImage.hex("SHA-1", swu));
        String taskId = system.createTask(PRODUCT, "{\"firmwareId\":\"" + fw.get("id").asText() + "\"}");
        double sentBefore = edgeBytesSent();

        Path run1 = Files.createDirectories(dir.resolve("run1"));
        try (Suricatta swupdate = Suricatta.start(run1, cert, controlUrl(), PRODUCT, device, token, "1.0.0", null)) {
            // "All Chunks Installed." (proceeding, cnt = of) after the dry-run install: installed, pending its reboot.
            awaitState(taskId, device, "UPGRADING", swupdate);
            Await.until(RUN_LIMIT, () -> swupdate.log().contains("SWUPDATE successful"), "the dry-run install");
            assertThat(swupdate.log()).contains("Verified OK").contains("Hardware compatibility verified")
                    .contains("Update successful, executing post-update actions.");
        }
        assertThat(edgeBytesSent() - sentBefore).as("the edge served the image").isGreaterThanOrEqualTo(swu.length);
        JsonNode attrs = system.admin("GET", "/admin/v1/products/" + PRODUCT + "/devices/" + device, null, 200);
        assertThat(attrs.toString()).contains("attr:hwId");

        Path run2 = Files.createDirectories(dir.resolve("run2"));
        try (Suricatta swupdate = Suricatta.start(run2, cert, controlUrl(), PRODUCT, device, token, "2.0.0", 2)) {
            awaitState(taskId, device, "SUCCEEDED", swupdate);
        }
        assertThat(meter(system.adminPort(), "ota_control_checks_total\\{[^}]*dialect=\"hawkbit\"[^}]*outcome=\"upgrade\"[^}]*\\}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(meter(system.adminPort(), "ota_control_progress_reports_total\\{[^}]*dialect=\"hawkbit\"[^}]*\\}"))
                .isGreaterThanOrEqualTo(2);
    }

    private static String targetToken(String device) throws Exception {
        return system.admin("POST", "/admin/v1/products/" + PRODUCT + "/hawkbit/devices/" + device + "/target-token", null, 201)
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
