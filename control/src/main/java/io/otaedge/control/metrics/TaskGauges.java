package io.otaedge.control.metrics;

import io.otaedge.control.limits.ThrottledLog;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.progress.ServedBytes;
import io.otaedge.control.progress.ServedDownload;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.UpgradeTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code ota_control_task_devices{task,state}} and {@code ota_control_task_failure_ratio{task}} of
 * the running tasks, refreshed periodically from the task progress data in Redis (never per
 * scrape, so a scrape costs no Redis round trip). A task that stops running loses its series. A
 * device still TO_BE_UPGRADED that the edges already served bytes to counts as DOWNLOADING
 * ({@link ServedDownload}), as the admin API's progress view shows it; the gauges only read
 * ({@code progress.ServedBytesFold} records the move). Past {@link #MAX_DEVICES} devices a task's
 * gauges count only the first ones (issue #17 paginates these reads).
 */
public final class TaskGauges implements AutoCloseable {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);
    /** Devices read per task and refresh; the admin API's progress view reads as many. */
    static final int MAX_DEVICES = 10_000;
    private static final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(TaskGauges.class), ThrottledLog.INTERVAL);
    private static final DeviceTaskState[] STATES = DeviceTaskState.values();

    private final MeterRegistry registry;
    private final ControlMetrics metrics;
    private final TaskRepository tasks;
    private final DownloadProgressStore served;
    private final Duration interval;
    private final Map<String, TaskSeries> running = new ConcurrentHashMap<>();
    private Disposable schedule;

    public TaskGauges(ControlMetrics metrics, RedisClusterAsyncCommands<String, String> redis, TaskRepository tasks, Duration interval) {
        this.registry = metrics.registry();
        this.served = new DownloadProgressStore(redis);
        this.metrics = metrics;
        this.tasks = tasks;
        this.interval = interval;
    }

    public synchronized TaskGauges start() {
        if (schedule == null) {
            schedule = Flux.interval(Duration.ZERO, interval)
                    .onBackpressureDrop()
                    .concatMap(tick -> refresh().onErrorResume(e -> {
                        metrics.redisError();
                        log.warning("refresh", "task metrics not refreshed", e);
                        return Mono.empty();
                    }), 1)
                    .subscribe();
        }
        return this;
    }

    /** Reads every running task's device states once and updates the gauges. */
    public Mono<Void> refresh() {
        return tasks.running()
                .concatMap(t -> Mono.zip(tasks.deviceRows(t.productId(), t.id(), MAX_DEVICES).collectList(),
                                Mono.fromCompletionStage(() -> served.forTask(t.productId(), t.id())))
                        .map(rs -> Map.entry(t, counts(rs.getT1(), rs.getT2()))))
                .collectList()
                .doOnNext(this::update)
                .then();
    }

    private static long[] counts(List<Map<String, String>> rows, Map<String, ServedBytes> served) {
        long[] counts = new long[STATES.length];
        for (Map<String, String> row : rows) {
            DeviceTaskState stored = state(row.get("state"));
            if (stored != null) {
                counts[ServedDownload.state(stored, served.get(row.get("deviceId"))).ordinal()]++;
            }
        }
        return counts;
    }

    private static DeviceTaskState state(String name) {
        for (DeviceTaskState s : STATES) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private void update(List<Map.Entry<UpgradeTask, long[]>> now) {
        Map<String, long[]> seen = new HashMap<>();
        for (Map.Entry<UpgradeTask, long[]> e : now) {
            seen.put(e.getKey().id(), e.getValue());
        }
        seen.forEach((task, counts) -> running.computeIfAbsent(task, TaskSeries::new).set(counts));
        running.keySet().removeIf(task -> {
            if (seen.containsKey(task)) {
                return false;
            }
            running.get(task).remove();
            return true;
        });
    }

    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.dispose();
        }
    }

    /** One task's series: a gauge per state and the failure ratio, reading the last counts. */
    private final class TaskSeries {
        private final AtomicLongArray counts = new AtomicLongArray(STATES.length);
        private final List<Meter> meters = new ArrayList<>();

        TaskSeries(String task) {
            for (DeviceTaskState s : STATES) {
                int i = s.ordinal();
                meters.add(Gauge.builder("ota.control.task.devices", counts, c -> c.get(i))
                        .description("devices per state per task (running tasks only)")
                        .tag("task", task).tag("state", s.name().toLowerCase(Locale.ROOT)).register(registry));
            }
            meters.add(Gauge.builder("ota.control.task.failure.ratio", this, TaskSeries::failureRatio)
                    .description("failed / (succeeded + failed) of a task; 0 before any device finished")
                    .tag("task", task).register(registry));
        }

        void set(long[] values) {
            for (int i = 0; i < values.length; i++) {
                counts.set(i, values[i]);
            }
        }

        double failureRatio() {
            long failed = counts.get(DeviceTaskState.FAILED.ordinal());
            long done = failed + counts.get(DeviceTaskState.SUCCEEDED.ordinal());
            return done == 0 ? 0 : (double) failed / done;
        }

        void remove() {
            meters.forEach(registry::remove);
        }
    }
}
