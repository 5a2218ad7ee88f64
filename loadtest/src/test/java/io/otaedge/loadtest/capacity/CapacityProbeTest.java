package io.otaedge.loadtest.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.loadtest.StandaloneProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * Keeps the capacity measurement (docs/CAPACITY.md, {@code loadtest/bench/capacity.sh}) from rotting
 * and holds the Redis costs the capacity model rests on: a tiny run of {@link CapacityProbe} against a
 * real standalone (its own process, embedded Redis, free ports), every batch of all five dialects,
 * then what the model assumes of the figures. Not a performance test: only counts are asserted.
 */
@Tag("slow") // real processes: run by `./mvnw -B verify -Pslow` (see README, Tests)
class CapacityProbeTest {

    static StandaloneProcess system;
    static List<BatchResult> batches;
    static String report;

    @BeforeAll
    static void measureATinyFleet() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "capacity")).toAbsolutePath();
        Path jar = Path.of(System.getProperty("ota.standaloneJar", "../standalone/target/ota-standalone.jar"));
        // Progress flushes every 200 ms and the edge trusts a cached token for 500 ms, so the probe's waits stay
        // short; no task gauges mid-batch.
        system = StandaloneProcess.start(jar.toAbsolutePath().normalize(), Files.createTempDirectory(work, "run-"),
                Map.of("OTA_EDGE_PROGRESS_FLUSH", "PT0.2S", "OTA_EDGE_TOKEN_CACHE_TTL", "PT0.5S",
                        "OTA_TASK_METRICS_INTERVAL", "PT1H"));
        Map<String, String> p = new HashMap<>(Map.of(
                "ota.redisUri", system.redisUri,
                "ota.deviceUrl", system.deviceUrl,
                "ota.edgeUrl", system.edgeUrl,
                "ota.adminUrl", system.adminUrl,
                "ota.adminKey", system.adminKey,
                "ota.devices", "16",
                "ota.watch", "8",
                "ota.concurrency", "8",
                "ota.firmwareKiB", "8",
                "ota.ranges", "4"));
        p.putAll(Map.of("ota.idleSeconds", "1", "ota.flushQuietMs", "500", "ota.samples", "10", "ota.warmUp", "2",
                "ota.tokenCacheMs", "500"));
        p.forEach(System::setProperty);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            batches = CapacityProbe.run(new PrintStream(out, true, StandardCharsets.UTF_8));
        } finally {
            p.keySet().forEach(System::clearProperty);
            report = out.toString(StandardCharsets.UTF_8);
            System.out.println(report);
        }
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void everyKeyKindOfTheSchemaIsMeasuredWithMemoryUsage() {
        for (String kind : List.of("`ota:{p:<p>:<b>}:dev:<n>`", "`ota:{p:<p>:<b>}:dev:<n>:tasks`", "`ota:{p:<p>:<b>}:task:<task>:dev:<n>`",
                "`ota:{p:<p>:<b>}:task:<task>:tok:<n>`", "`ota:tok:{<token>}`", "`ota:{p:<p>}:task:<task>`",
                "`ota:{p:<p>:<b>}:task:<task>:devs`", "`ota:{p:<p>:<b>}:task:<task>:stats`", "`ota:{p:<p>:<b>}:task:<task>:served`",
                "`ota:{p:<p>:<b>}:task:<task>:servedEnd`", "`ota:edge:{<edge>}`", "`ota:edges`", "`ota:{p:<p>}:product`",
                "`ota:{p:<p>}:fw:<fw>`")) {
            assertThat(report).as("the memory table names " + kind).containsPattern(
                    java.util.regex.Pattern.quote("| " + kind + " |") + " \\w+ \\| \\w+ \\| [1-9]\\d* \\| [1-9]\\d* \\| [1-9]\\d* \\|");
        }
    }

    @Test
    void everyDialectsCheckDownloadAndProgressBatchRanForEveryDevice() {
        assertThat(batches).extracting(BatchResult::name).contains("first check, onenet", "first check, fog",
                "first check, xiaozhi", "first check, aliyun", "first check + whole download, luatos",
                "whole download, onenet", "one 1 KiB range, token not in the edge's cache, onenet",
                "progress step 100, onenet", "version report, fog", "progress report 100, aliyun");
        assertThat(batches).filteredOn(b -> !b.idle() && !b.name().startsWith("admin"))
                .allSatisfy(b -> assertThat(b.watched() + b.measured()).as(b.name()).isEqualTo(16));
    }

    @Test
    void aRepeatedOneNetCheckIsOneScriptCallAndIssuesNoToken() {
        BatchResult repeat = batch("repeat check, onenet");

        // One script: the device, its bucket's device index, its token pointer and its row in the task (read for the
        // retry policy, never written by a repeated check).
        assertThat(repeat.tally()).containsEntry("client EVALSHA ota:{p:<p>:<b>}:dev:<n>, ota:{p:<p>:<b>}:devices, "
                + "ota:{p:<p>:<b>}:task:<task>:tok:<n>, ota:{p:<p>:<b>}:task:<task>:dev:<n>", (long) repeat.watched());
        assertThat(repeat.tally().keySet()).noneMatch(k -> k.contains("ota:tok:{")
                || k.contains(":task:<task>:dev:<n>") && !k.startsWith("client EVALSHA") && !k.startsWith("script HGETALL"));
        assertThat(repeat.delta().calls()).containsEntry("evalsha", (long) repeat.measured()).doesNotContainKey("eval");
    }

    @Test
    void aDownloadLooksItsTokenUpOnceAndItsRangesWriteProgressInBatchesNotPerRange() {
        BatchResult ranges = batch("4 × 1 KiB ranges back to back, onenet");

        assertThat(ranges.tally()).containsEntry("client GET ota:tok:{<token>}", (long) ranges.watched());
        long progressWrites = ranges.tally().entrySet().stream()
                .filter(e -> e.getKey().startsWith("client EVAL") && e.getKey().contains(":served"))
                .mapToLong(Map.Entry::getValue).sum();
        assertThat(progressWrites).as("progress script calls for %d ranges", 4 * ranges.watched())
                .isPositive().isLessThan(4L * ranges.watched());
    }

    private static BatchResult batch(String name) {
        return batches.stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no batch " + name));
    }
}
