package io.otaedge.conformance.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.conformance.ConformanceSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * Mutated device requests against a running standalone over real loopback sockets: at least 10,000 to the
 * edge's port and 10,000 to control's device port, 1,000 to the admin port with a valid key. Each run starts
 * from the real requests in {@link FuzzCorpus}, mutates them ({@link Mutator}) from one seed, sends them on a
 * few connections at once (single and pipelined, kept alive as the server allows) and holds every answer to
 * {@link WireClient}'s rules: no 5xx, no connection closed without an answer, no hang; afterwards each port
 * still serves a normal request. Failures already kept in {@link SocketFuzzRegressionTest} ({@link KnownFailure}) are
 * counted and printed, not failed on again; anything else fails the run. The build uses one fixed seed, so a red run replays exactly;
 * {@code -Dota.fuzz.seed=…} runs (or replays) another, {@code -Dota.fuzz.requests=…} changes the count. A failing input goes into {@link SocketFuzzRegressionTest}.
 */
@Tag("slow") // real processes: run by `./mvnw -B verify -Pslow` (see README, Tests)
class SocketFuzzTest {

    private static final int WORKERS = 4;
    private static final int REQUESTS = Integer.getInteger("ota.fuzz.requests", 10_000);
    private static final long SEED = Long.getLong("ota.fuzz.seed", 1213L);
    private static final int SHOWN = 12;

    @TempDir
    static Path data;
    static ConformanceSystem system;
    static FuzzCorpus corpus;

    @BeforeAll
    static void start() throws Exception {
        // The fuzzer judges framing and parsing; the limits that would refuse its one address and its one device
        // ("try later", a lock-out after wrong keys) have tests of their own.
        system = ConformanceSystem.start(data, "OTA_RATE_DEVICE_PER_MINUTE", "0", "OTA_RATE_ADDRESS_PER_SECOND", "0",
                "OTA_ADMIN_AUTH_FAILURES", "0");
        corpus = FuzzCorpus.setUp(system);
        System.out.println("socket fuzz seed " + SEED + " (replay with -Dota.fuzz.seed=" + SEED + ")");
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void theEdgeAnswersTenThousandMutatedDownloadsWithoutA5xxOrADrop() throws Exception {
        assertThat(fuzz("edge", system.edgePort(), corpus.edge, REQUESTS, 1)).as("requests sent").isGreaterThanOrEqualTo(REQUESTS);
        FuzzCorpus.assertServes(system.edgePort(), corpus.edgeProbe, 200);
    }

    @Test
    void theDevicePortAnswersTenThousandMutatedChecksWithoutA5xxOrADrop() throws Exception {
        assertThat(fuzz("device", system.devicePort(), corpus.device, REQUESTS, 2)).as("requests sent").isGreaterThanOrEqualTo(REQUESTS);
        FuzzCorpus.assertServes(system.devicePort(), corpus.deviceProbe, 200);
    }

    @Test
    void theAdminPortAnswersAThousandMutatedCallsWithAValidKeyWithoutA5xxOrADrop() throws Exception {
        int n = Math.max(1, REQUESTS / 10);
        assertThat(fuzz("admin", system.adminPort(), corpus.admin, n, 3)).as("requests sent").isGreaterThanOrEqualTo(n);
        FuzzCorpus.assertServes(system.adminPort(), corpus.adminProbe, 200);
    }

    /** What a failure is, for grouping: the verdict's first words and the mutations' names. */
    private static String kind(String verdict, FuzzInput input) {
        int colon = verdict.indexOf(':');
        return (colon < 0 ? verdict : verdict.substring(0, colon)).replaceAll("[0-9]+", "#")
                + " | " + input.label().replaceAll("\\([^)]*\\)", "");
    }

    /** Sends at least {@code requests} mutated requests from {@code WORKERS} connections; fails listing what went wrong. */
    private static int fuzz(String name, int port, List<WireRequest> seeds, int requests, long stream) throws Exception {
        Map<String, List<String>> failures = Collections.synchronizedMap(new LinkedHashMap<>());
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Map<KnownFailure, Integer> knownCounts = new java.util.concurrent.ConcurrentHashMap<>();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                SplittableRandom random = new SplittableRandom(SEED ^ (stream * 1_000_003L) ^ (w * 0x9E3779B97F4A7C15L));
                workers.add(pool.submit(() -> {
                    Mutator mutator = new Mutator(random);
                    try (WireClient client = new WireClient(port)) {
                        while (sent.get() < requests) {
                            FuzzInput input = random.nextInt(4) == 0 ? mutator.pipelined(seeds)
                                    : mutator.single(seeds.get(random.nextInt(seeds.size())), true);
                            sent.addAndGet(input.heads().size());
                            String verdict = client.judge(input);
                            KnownFailure known = verdict == null ? null : KnownFailure.classify(name, verdict, input);
                            if (known != null) {
                                knownCounts.merge(known, 1, Integer::sum);
                            } else if (verdict != null) {
                                failed.incrementAndGet();
                                List<String> same = failures.computeIfAbsent(kind(verdict, input), k -> new ArrayList<>());
                                if (same.size() < 2) {
                                    same.add(verdict + "\n    mutations: " + input.label() + "\n    input: " + input.javaLiteral());
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("socket fuzz %s: %d requests in %d ms, %d failed, known failures kept as regression tests %s (seed %d)%n",
                name, sent.get(), (System.nanoTime() - started) / 1_000_000, failed.get(), knownCounts, SEED);
        if (!failures.isEmpty()) {
            StringBuilder report = new StringBuilder("socket fuzz " + name + " port, seed " + SEED + ": " + failed.get()
                    + " of " + sent.get() + " requests failed; kinds:\n");
            failures.entrySet().stream().limit(SHOWN).forEach(e -> e.getValue().forEach(v -> report.append("- ").append(v).append('\n')));
            System.out.println(report);
            throw new AssertionError(report.toString());
        }
        return sent.get();
    }
}
