package io.otaedge.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.metrics.PrometheusText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrapes /metrics of the running standalone's edge and control admin ports, parses them as
 * Prometheus text, and checks that the product meters move when a device checks and downloads,
 * and that every name docs/METRICS.md promises is exported. The contract test leaves its two
 * scrapes in {@code target/metrics-scrapes/} for {@code deploy/check.sh}, which the reactor runs
 * next and which checks every name the dashboard and alert rules use against them.
 */
class MetricsEndToEndTest {

    static final int SIZE = 200_000 + 17;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Where the scrapes are left for deploy/pom.xml's check (module-relative, as surefire runs). */
    static final Path SCRAPES = Path.of("target", "metrics-scrapes");

    @TempDir
    static Path dataDir;

    static Standalone system;
    static OtaTestClient client;
    static String taskId;

    @BeforeAll
    static void start() throws Exception {
        system = Standalone.start(StandaloneEndToEndTest.settings(dataDir, "OTA_TASK_METRICS_INTERVAL", "PT0.2S"));
        client = new OtaTestClient(system);
        client.createProduct("metrics");
        byte[] firmware = new byte[SIZE];
        new Random(3).nextBytes(firmware);
        JsonNode fw = client.uploadFirmware("metrics", "2.0.0", "fw.bin", firmware);
        taskId = client.createTask("metrics", fw.get("id").asText());
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void productMetersMoveWhenADeviceChecksAndDownloads() throws Exception {
        PrometheusText edgeBefore = scrape(system.edgeAdminPort());
        PrometheusText controlBefore = scrape(system.adminPort());

        JsonNode check = client.oneNetCheck(client.oneNetAuthorization("metrics"), 77, "1.0");
        assertThat(check.get("errno").asInt()).as(check.toString()).isZero();
        HttpResponse<byte[]> download = client.get(client.download(check.get("data").get("token").asText()));
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).hasSize(SIZE);

        // The edge counts bytes once the last write completed, a moment after the client has them.
        PrometheusText edge = awaitScrape(system.edgeAdminPort(),
                t -> delta(edgeBefore, t, "ota_edge_bytes_sent_total", Map.of()) >= SIZE);
        PrometheusText control = scrape(system.adminPort());

        assertThat(delta(edgeBefore, edge, "ota_edge_requests_total", Map.of("status", "200", "kind", "full"))).isEqualTo(1);
        assertThat(delta(edgeBefore, edge, "ota_edge_bytes_sent_total", Map.of())).isEqualTo(SIZE);
        assertThat(delta(edgeBefore, edge, "ota_edge_download_duration_seconds_count", Map.of())).isEqualTo(1);
        assertThat(delta(edgeBefore, edge, "ota_edge_time_to_first_byte_seconds_count", Map.of())).isEqualTo(1);
        assertThat(delta(edgeBefore, edge, "ota_edge_redis_latency_seconds_count", Map.of())).isGreaterThanOrEqualTo(1);
        assertThat(delta(controlBefore, control, "ota_control_checks_total", Map.of("dialect", "onenet", "outcome", "upgrade")))
                .isEqualTo(1);
        assertThat(delta(controlBefore, control, "ota_control_tokens_issued_total", Map.of())).isEqualTo(1);
        assertThat(delta(controlBefore, control, "ota_control_http_requests_total", Map.of("port", "device", "status", "200")))
                .isEqualTo(1);
    }

    @Test
    void everyNameOfTheMetricsContractIsExported() throws Exception {
        // A device with a token makes the running task's gauges appear at the next refresh.
        client.oneNetCheck(client.oneNetAuthorization("metrics"), 78, "1.0");
        awaitScrape(system.adminPort(), t -> t.sum("ota_control_task_devices", Map.of("task", taskId)) >= 1);
        // Micrometer registers jvm_gc_pause_seconds at the first collection; the standalone shares
        // this JVM, so one collection here makes the dashboard's GC panel name appear.
        System.gc();
        for (int port : new int[] {system.edgeAdminPort(), system.adminPort()}) {
            awaitScrape(port, t -> t.samples().stream().anyMatch(s -> s.name().startsWith("jvm_gc_pause_seconds")));
        }
        Set<String> exported = new TreeSet<>();
        Files.createDirectories(SCRAPES);
        for (Map.Entry<String, Integer> service : Map.of("edge", system.edgeAdminPort(), "control", system.adminPort()).entrySet()) {
            String text = scrapeText(service.getValue());
            Files.writeString(SCRAPES.resolve(service.getKey() + ".prom"), text);
            PrometheusText.parse(text).samples().forEach(s -> exported.add(s.name().replaceAll("_(bucket|count|sum)$", "")));
        }
        Set<String> promised = new TreeSet<>();
        Matcher m = Pattern.compile("^\\| `(ota_[a-z_]+)`", Pattern.MULTILINE)
                .matcher(Files.readString(Path.of("..", "docs", "METRICS.md")));
        while (m.find()) {
            promised.add(m.group(1));
        }
        assertThat(promised).hasSizeGreaterThan(15);
        assertThat(exported).containsAll(promised);
        // and the standard meters the dashboard and alerts use
        assertThat(exported).contains("jvm_memory_used_bytes", "jvm_buffer_memory_used_bytes", "jvm_gc_pause_seconds", "process_cpu_usage",
                "process_files_open_files", "lettuce_command_completion_seconds");
    }

    @Test
    void bothAdminPortsAnswerHealthWithoutAKey() throws Exception {
        for (int port : new int[] {system.edgeAdminPort(), system.adminPort()}) {
            assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int ready;
            while ((ready = get(port, "/health/ready").statusCode()) != 200 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
            }
            assertThat(ready).isEqualTo(200);
        }
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, Map<String, String> labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    private static PrometheusText awaitScrape(int port, Predicate<PrometheusText> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        PrometheusText t = scrape(port);
        while (!condition.test(t) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
            t = scrape(port);
        }
        return t;
    }

    private static PrometheusText scrape(int port) throws Exception {
        return PrometheusText.parse(scrapeText(port));
    }

    private static String scrapeText(int port) throws Exception {
        HttpResponse<String> r = get(port, "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return r.body();
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
