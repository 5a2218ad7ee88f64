package io.otaedge.loadtest.capacity;

import io.otaedge.loadtest.LoadSettings;
import io.otaedge.loadtest.capacity.Fleet.Dialect;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The capacity measurement (docs/CAPACITY.md, run by {@code loadtest/bench/capacity.sh}): against a
 * running system and the Redis it uses, {@code ota.devices} devices of each of the five dialects
 * check in, download whole and by 1 KiB ranges, and report progress, batch by batch; for each
 * batch what Redis did per operation (round trips, commands inside scripts, Redis CPU, memory);
 * then every key kind's {@code MEMORY USAGE}. Prints Markdown on stdout.
 *
 * <p>Settings ({@code -D…}): {@code ota.redisUri} (required: the Redis the system uses, any form of
 * {@code OTA_REDIS_URI}), {@code ota.deviceUrl}, {@code ota.edgeUrl}, {@code ota.adminUrl},
 * {@code ota.adminKey} (as {@link LoadSettings}), {@code ota.devices} per dialect (2000),
 * {@code ota.concurrency} (16), {@code ota.watch} devices per batch under MONITOR (50),
 * {@code ota.firmwareKiB} (64), {@code ota.ranges} back-to-back ranges per device (16),
 * {@code ota.idleSeconds} (10), {@code ota.flushQuietMs} (2500: longer than two progress flushes),
 * {@code ota.samples} keys measured per kind (200), {@code ota.warmUp} devices that run
 * every step first, unmeasured (20), {@code ota.tokenCacheMs} the edges' {@code OTA_EDGE_TOKEN_CACHE_TTL} (2000), {@code ota.label} (a line naming the build).
 * The system must not limit the probe's loopback address ({@code OTA_RATE_ADDRESS_PER_SECOND=0}).
 */
public final class CapacityProbe {


    /**
     * One batch of the measurement: {@code op} per device; {@code serves}: the edge serves bytes (the
     * batch waits for the progress flush); {@code devices}: how many, -1 for all; {@code coldTokens}: the
     * batch starts only once the devices' tokens have left the edge's token cache.
     */
    record Step(String name, boolean serves, int devices, boolean coldTokens, IntConsumer op) {
        Step(String name, boolean serves, IntConsumer op) {
            this(name, serves, -1, false, op);
        }
    }

    private CapacityProbe() {
    }

    /** What every device does, in the order a campaign has them do it, then checks between campaigns. */
    static List<Step> steps(Fleet fleet, CapacityCampaign c, int ranges) {
        String from = CapacityCampaign.FROM_VERSION;
        List<Dialect> checking = List.of(Dialect.ONENET, Dialect.FOG, Dialect.XIAOZHI, Dialect.ALIYUN);
        List<Step> steps = new ArrayList<>();
        for (Dialect d : checking) {
            steps.add(new Step("first check, " + d.label(), false, n -> fleet.check(d, n, from)));
        }
        steps.add(new Step("file/get (URL), aliyun", false, fleet::aliyunFileGet));
        steps.add(new Step("first check + whole download, luatos", true, n -> fleet.luatosUpgrade(n, from)));
        for (Dialect d : checking) {
            steps.add(new Step("repeat check, " + d.label(), false, n -> fleet.check(d, n, from)));
        }
        steps.add(new Step("repeat check + whole download, luatos", true, n -> fleet.luatosUpgrade(n, from)));
        steps.add(new Step("token check, onenet", false, fleet::oneNetTokenCheck));
        for (Dialect d : checking) {
            steps.add(new Step("whole download, " + d.label(), true, n -> fleet.downloadWhole(d, n)));
        }
        // Started past the edge's token cache TTL since the tokens' last use: each range of the first
        // batch is what a slow NB-IoT device's next range costs; the second shows the cache at work.
        steps.add(new Step("one 1 KiB range, token not in the edge's cache, onenet", true, -1, true,
                n -> fleet.downloadRanges(Dialect.ONENET, n, 1, 1024L * n)));
        steps.add(new Step(ranges + " × 1 KiB ranges back to back, onenet", true, -1, true,
                n -> fleet.downloadRanges(Dialect.ONENET, n, ranges, 2048L * n)));
        for (int step : new int[] {50, 100, 201}) {
            steps.add(new Step("progress step " + step + ", onenet", false, n -> fleet.oneNetProgress(n, step)));
        }
        steps.add(new Step("version report, onenet", false, n -> fleet.oneNetVersion(n, c.version())));
        steps.add(new Step("version report, fog", false, n -> fleet.fogVersion(n, c.version())));
        steps.add(new Step("progress report 100, aliyun", false, n -> fleet.aliyunReport(n, 100)));
        steps.add(new Step("check on the target version (task running), onenet", false,
                n -> fleet.oneNetCheck(c.productId(), c.oneNetAuthorization(), n, c.version(), 11)));
        steps.add(new Step("first check, no task in the product, onenet", false,
                n -> fleet.oneNetCheck(c.idleProductId(), c.idleOneNetAuthorization(), n, from, 11)));
        steps.add(new Step("repeat check, no task in the product, onenet", false,
                n -> fleet.oneNetCheck(c.idleProductId(), c.idleOneNetAuthorization(), n, from, 11)));
        steps.add(new Step("admin: task progress (limit 10000)", false, 4, false,
                n -> fleet.adminGet("/admin/v1/tasks/" + c.taskId() + "/progress?limit=10000")));
        return steps;
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        run(out);
    }

    /** Runs the whole measurement, printing as it goes; answers the batches (for the smoke test). */
    public static List<BatchResult> run(PrintStream out) throws Exception {
        String redisUri = System.getProperty("ota.redisUri");
        if (redisUri == null || redisUri.isBlank()) {
            throw new IllegalArgumentException("-Dota.redisUri=<the Redis the system uses> is required");
        }
        Fleet.Endpoints at = new Fleet.Endpoints(LoadSettings.deviceUrl(), LoadSettings.edgeUrl(), LoadSettings.adminUrl(),
                LoadSettings.adminKey());
        int devices = LoadSettings.integer("ota.devices", 2000);
        int ranges = LoadSettings.integer("ota.ranges", 16);
        int warmUp = LoadSettings.integer("ota.warmUp", 20);
        Duration tokenCacheTtl = Duration.ofMillis(LoadSettings.integer("ota.tokenCacheMs", 2000));
        Report report = new Report(out);
        List<BatchResult> batches = new ArrayList<>();
        KeyShapes shapes = new KeyShapes();
        try (RedisTopology redis = RedisTopology.connect(redisUri);
             BatchRunner runner = new BatchRunner(LoadSettings.integer("ota.concurrency", 16))) {
            Measurement m = new Measurement(redis, shapes, runner, LoadSettings.integer("ota.watch", 50),
                    Duration.ofMillis(LoadSettings.integer("ota.flushQuietMs", 2500)));
            report.heading("## Capacity measurement, " + Instant.now());
            report.line("- build: %s", System.getProperty("ota.label", "(not named)"));
            report.line("- Redis: %s%s", String.join("; ", redis.describe()), redis.cluster ? " (cluster masters)" : "");
            report.line("- system: devices %s, edge %s, admin %s", at.deviceUrl(), at.edgeUrl(), at.adminUrl());
            report.line("- %d devices per dialect, %d client threads, %d devices per batch under MONITOR, %d KiB firmware",
                    devices, LoadSettings.integer("ota.concurrency", 16), LoadSettings.integer("ota.watch", 50),
                    LoadSettings.integer("ota.firmwareKiB", 64));
            nameEdges(redis, shapes);

            Duration idle = Duration.ofSeconds(LoadSettings.integer("ota.idleSeconds", 10));
            batches.add(m.idle("idle, per second (before)", idle));
            long memoryEmpty = RedisStats.take(redis).usedMemory();
            CapacityCampaign c = CapacityCampaign.create(at, LoadSettings.integer("ota.firmwareKiB", 64));
            nameCampaign(redis, shapes, c);
            long memorySetUp = RedisStats.take(redis).usedMemory();
            Fleet fleet = new Fleet(at, c, devices + warmUp);

            List<Step> steps = steps(fleet, c, ranges);
            // The same steps for a few extra devices first, unmeasured: scripts loaded (EVALSHA's first
            // NOSCRIPT), catalog caches filled and the JIT warm, as in a system that has been running.
            for (Step s : steps) {
                runner.run(devices, devices + warmUp, s.op());
            }
            for (Step s : steps) {
                if (s.coldTokens()) {
                    // A TTL can only be waited out: the cache holds a grant for OTA_EDGE_TOKEN_CACHE_TTL.
                    Thread.sleep(tokenCacheTtl.toMillis() + 200);
                }
                batches.add(m.batch(s.name(), 0, s.devices() < 0 ? devices : s.devices(), s.serves(), s.op()));
            }
            batches.add(m.idle("idle, per second (after)", idle));
            long memoryAll = RedisStats.take(redis).usedMemory();

            report.heading("### Redis per operation");
            report.line("Round trips and commands inside scripts: MONITOR over the watched devices. Commands (scripts'");
            report.line("included), Redis CPU (INFO cpu, user + system) and time inside commands (commandstats usec, a");
            report.line("script counted whole and its commands not again): the measured devices, less the idle background");
            report.line("per second times the batch's length. Idle rows: per second.");
            report.line("");
            report.summary(batches);
            report.heading("### What each operation sends");
            batches.forEach(report::detail);

            report.heading("### Memory");
            int total = 5 * devices;
            report.line("- used_memory: empty %d B, after set-up %d B, after all batches %d B", memoryEmpty, memorySetUp, memoryAll);
            report.line("- per device overall: (%d − %d) / (%d devices of the campaigns + %d of the product without task"
                    + " + %d warm-up) = %.0f B", memoryAll, memorySetUp, total, devices, 6 * warmUp,
                    (memoryAll - memorySetUp) / (double) (total + devices + 6 * warmUp));
            report.line("");
            report.keys(KeySpace.measure(redis, shapes, LoadSettings.integer("ota.samples", 200)));
            report.heading("### Reading a task's aggregates whole (as the task gauges and the progress view do)");
            String task = "ota:{p:" + c.productId() + "}:task:" + c.taskId(); // RedisKeys.task
            wholeRead(report, redis, shapes, "HGETALL", task + ":served");
            wholeRead(report, redis, shapes, "HGETALL", task + ":servedEnd");
            wholeRead(report, redis, shapes, "ZRANGE", task + ":devs", "0", "9999");
        }
        return batches;
    }

    /** One read of a whole aggregate key: its time inside Redis (commandstats) and the size of the reply. */
    @SuppressWarnings("unchecked")
    private static void wholeRead(Report report, RedisTopology redis, KeyShapes shapes, String command, String key,
                                  String... args) {
        String[] call = new String[2 + args.length];
        call[0] = command;
        call[1] = key;
        System.arraycopy(args, 0, call, 2, args.length);
        RedisStats before = RedisStats.take(redis);
        List<Object> reply = (List<Object>) redis.onKeyOwner(key, call);
        RedisStats.Delta d = RedisStats.take(redis).since(before);
        long usec = d.usec().getOrDefault(command.toLowerCase(java.util.Locale.ROOT), 0L);
        long bytes = reply.stream().mapToLong(o -> String.valueOf(o).length() + 6).sum();
        // A hash answers field, value, field, value…: its elements are the pairs.
        int elements = command.equals("HGETALL") ? reply.size() / 2 : reply.size();
        report.line("- `%s %s`: %d elements in %d µs inside Redis (%.0f ns each), reply ≈ %d KiB", command,
                shapes.shape(key), elements, usec, usec * 1000.0 / Math.max(1, elements), bytes / 1024);
    }

    /** The registered edges' ids, so their keys read {@code ota:edge:{<edge>}}. */
    @SuppressWarnings("unchecked")
    private static void nameEdges(RedisTopology redis, KeyShapes shapes) {
        Object ids = redis.onKeyOwner("ota:edges", "ZRANGE", "ota:edges", "0", "-1");
        for (Object id : (List<Object>) ids) {
            shapes.name((String) id, "edge");
        }
    }

    /** The campaign's ids, so its keys read {@code ota:{p:<p>}:task:<task>…}. */
    @SuppressWarnings("unchecked")
    private static void nameCampaign(RedisTopology redis, KeyShapes shapes, CapacityCampaign c) {
        shapes.name(c.productId(), "p");
        shapes.name(c.fogProductId(), "p-fog");
        shapes.name(c.idleProductId(), "p-notask");
        shapes.name(c.firmwareId(), "fw");
        shapes.name(c.fogFirmwareId(), "fw-mcu");
        shapes.name(c.taskId(), "task");
        String tasks = "ota:{p:" + c.fogProductId() + "}:tasks"; // RedisKeys.tasks: the product's tasks by creation time
        for (Object id : (List<Object>) redis.onKeyOwner(tasks, "ZRANGE", tasks, "0", "-1")) {
            shapes.name((String) id, "task-fog");
        }
    }
}
