package io.otaedge.edge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import io.otaedge.edge.token.CachingTokenResolver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The edge's product meters ({@code ota_edge_*}, see docs/METRICS.md). Every tagged meter is
 * registered once here and kept in an array indexed by its tag values, so the request path only
 * indexes and increments: no tags are built, no registry is consulted per request.
 */
public final class EdgeMetrics {

    /** What a request asked for, as the {@code kind} tag ({@code api}: a device-API call the edge fronts). */
    public enum Kind {
        FULL, RANGE, MULTIRANGE, HEAD, ERROR, API;

        final String tag = name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Outcome of a blob fetch from the control service, as the {@code result} tag. */
    public enum OriginPull {
        OK, HASH_MISMATCH, ERROR;

        final String tag = name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A call the edge makes to control for a device, as the {@code call} tag. */
    public enum ControlCall {
        /** LuatOS' decision ({@code /internal/v1/luatos/decision}, operator port). */
        LUATOS,
        /** A OneNET device-API call forwarded to control's device port. */
        ONENET;

        final String tag = name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The {@code status} tag values; any other status is counted as {@code other}. */
    private static final String[] STATUSES = {"200", "206", "304", "404", "416", "500", "503", "other"};
    private static final int OTHER = STATUSES.length - 1;
    private static final Kind[] KINDS = Kind.values();

    private final MeterRegistry registry;
    private final Counter[] requests = new Counter[STATUSES.length * KINDS.length];
    private final Counter bytesSent;
    private final Counter connectionsRefused;
    private final Counter redisErrors;
    private final Timer redisLatency;
    private final Timer downloadDuration;
    private final Timer timeToFirstByte;
    private final Counter[] originPulls = new Counter[OriginPull.values().length];
    private final Counter internalErrors;
    private final Counter[] controlRefusals = new Counter[ControlCall.values().length];
    private final AtomicInteger up = new AtomicInteger();
    /** By signal band label: good, medium, poor (cell.SignalBand's labels; this package may not import cell). */
    private final java.util.Map<String, Counter> cellRefusals = new java.util.HashMap<>();
    private final Counter cellUnchecked;
    /** The cell slots held; 0 until a cap binds it, so the gauge is exported with the cap off too. */
    private volatile IntSupplier cellSlotsHeld = () -> 0;

    public EdgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (int s = 0; s < STATUSES.length; s++) {
            for (Kind k : KINDS) {
                requests[s * KINDS.length + k.ordinal()] = Counter.builder("ota.edge.requests")
                        .description("requests answered, by status and kind")
                        .tag("status", STATUSES[s]).tag("kind", k.tag)
                        .register(registry);
            }
        }
        bytesSent = Counter.builder("ota.edge.bytes.sent").description("body bytes written to clients")
                .register(registry);
        connectionsRefused = Counter.builder("ota.edge.connections.refused")
                .description("connections refused with 503 above the connection cap").register(registry);
        redisErrors = Counter.builder("ota.edge.redis.errors")
                .description("failed Redis commands (token look-ups, progress flushes, heartbeats)").register(registry);
        redisLatency = Timer.builder("ota.edge.redis.latency").description("Redis token look-up latency")
                .serviceLevelObjectives(millis(0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2000))
                .register(registry);
        timeToFirstByte = Timer.builder("ota.edge.time.to.first.byte")
                .description("request received to response head written")
                .serviceLevelObjectives(millis(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000))
                .register(registry);
        // NB-IoT downloads of a few MiB take many minutes: the buckets reach an hour.
        downloadDuration = Timer.builder("ota.edge.download.duration")
                .description("request received to last body byte written")
                .serviceLevelObjectives(millis(5, 25, 100, 500, 1000, 5000, 10_000, 30_000, 60_000, 300_000, 900_000,
                        1_800_000, 3_600_000))
                .register(registry);
        for (OriginPull r : OriginPull.values()) {
            originPulls[r.ordinal()] = Counter.builder("ota.edge.origin.pulls")
                    .description("blobs fetched from the control service").tag("result", r.tag).register(registry);
        }
        internalErrors = Counter.builder("ota.edge.internal.errors")
                .description("requests the edge itself failed on (answered 500 or closed), each logged throttled")
                .register(registry);
        for (ControlCall c : ControlCall.values()) {
            controlRefusals[c.ordinal()] = Counter.builder("ota.edge.control.refusals")
                    .description("calls control refused as unauthorised or unrouted: a configuration fault")
                    .tag("call", c.tag).register(registry);
        }
        for (String band : java.util.List.of("good", "medium", "poor")) {
            cellRefusals.put(band, cellRefusal(band));
        }
        cellUnchecked = Counter.builder("ota.edge.cell.unchecked")
                .description("downloads served without a cell slot because Redis did not answer (fail open)")
                .register(registry);
        Gauge.builder("ota.edge.cell.slots.held", this, m -> m.cellSlotsHeld.getAsInt())
                .description("NB-IoT cell slots held by this edge's running downloads").strongReference(true)
                .register(registry);
        Gauge.builder("ota.edge.direct.memory.used", EdgeMetrics::directMemoryUsed).baseUnit("bytes")
                .description("Netty direct memory in use").register(registry);
    }

    /** Meters that go nowhere, for servers started without a registry (tests, embedding). */
    public static EdgeMetrics unregistered() {
        return new EdgeMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Counts one answered request. */
    public void request(int status, Kind kind) {
        requests[statusIndex(status) * KINDS.length + kind.ordinal()].increment();
    }

    public void bytesSent(long bytes) {
        bytesSent.increment(bytes);
    }

    public void timeToFirstByte(long nanos) {
        timeToFirstByte.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void downloadDuration(long nanos) {
        downloadDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void connectionRefused() {
        connectionsRefused.increment();
    }

    public void redisError() {
        redisErrors.increment();
    }

    public void redisLatency(long nanos) {
        redisLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts one blob fetch from the control service (for the origin-pull code). */
    public void originPull(OriginPull result) {
        originPulls[result.ordinal()].increment();
    }

    /** Counts one request the edge failed on by its own fault (an exception while answering it). */
    public void internalError() {
        internalErrors.increment();
    }

    /** Counts one call control refused with 401/403 (or 404/405: no such route where the edge asked). */
    public void controlRefused(ControlCall call) {
        controlRefusals[call.ordinal()].increment();
    }

    /** Exports {@code ota_edge_up{edge=<id>}}: 1 from now on, 0 after {@link #down()}. Once per server. */
    public void up(String edgeId) {
        Gauge.builder("ota.edge.up", up, AtomicInteger::get).description("1 while the edge runs")
                .tag("edge", edgeId).register(registry);
        up.set(1);
    }

    public void down() {
        up.set(0);
    }

    /** Counts one download refused by its cell's cap; {@code band} is the device's signal band's label. */
    public void cellRefused(String band) {
        Counter c = cellRefusals.get(band);
        (c == null ? cellRefusal(band) : c).increment();
    }

    private Counter cellRefusal(String band) {
        return Counter.builder("ota.edge.cell.refusals")
                .description("downloads refused because their NB-IoT cell (or its signal band's pool) had all its slots taken")
                .tag("band", band).register(registry);
    }

    /** Counts one download served uncapped because its cell's slots could not be checked. */
    public void cellUnchecked() {
        cellUnchecked.increment();
    }

    /** Exports the cell slots this edge holds now. */
    public void bindCellSlots(IntSupplier held) {
        cellSlotsHeld = held;
    }

    /** Exports the open connection count. */
    public void bindConnections(IntSupplier open) {
        Gauge.builder("ota.edge.connections.active", open, IntSupplier::getAsInt)
                .description("open client connections").strongReference(true).register(registry);
    }

    /** Exports the local token cache's own hit and miss counts. */
    public void bindTokenCache(CachingTokenResolver cache) {
        FunctionCounter.builder("ota.edge.token.cache.requests", cache, CachingTokenResolver::hits)
                .description("token look-ups by the local cache").tag("result", "hit").register(registry);
        FunctionCounter.builder("ota.edge.token.cache.requests", cache, CachingTokenResolver::misses)
                .description("token look-ups by the local cache").tag("result", "miss").register(registry);
    }

    private static int statusIndex(int status) {
        return switch (status) {
            case 200 -> 0;
            case 206 -> 1;
            case 304 -> 2;
            case 404 -> 3;
            case 416 -> 4;
            case 500 -> 5;
            case 503 -> 6;
            default -> OTHER;
        };
    }

    /**
     * What Netty holds in direct memory: its own counter when it tracks direct memory itself, else
     * what the default allocator reports (both when they differ, the larger).
     */
    static double directMemoryUsed() {
        long tracked = PlatformDependent.usedDirectMemory();
        long allocator = ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p
                ? p.metric().usedDirectMemory() : -1;
        return Math.max(0, Math.max(tracked, allocator));
    }

    private static Duration[] millis(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos((long) (values[i] * 1_000_000));
        }
        return out;
    }
}
