package io.otaedge.control.progress;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.progress.ServedBytes;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.RedisScript;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.redis.ControlKeys;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.Jitter;
import io.otaedge.control.task.RetryPolicy;
import io.otaedge.control.task.TaskFactory;
import io.otaedge.control.task.TaskRef;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.TaskStatus;
import io.otaedge.control.task.UpgradeTask;
import io.otaedge.control.task.UpgradeType;
import io.otaedge.control.version.FirmwareVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Progress of devices through their tasks, dialect-free: every dialect turns its own step, state and
 * version reports into these calls, and reads a device's standing back through {@link #progress}.
 * Each report is one atomic script ({@link StateMachineScript}); illegal moves are answered, not applied.
 */
public final class DeviceProgressService {

    /** KEYS: device-task hash. ARGV: now. Records a confirmation on a row still waiting for its download; 1 when done. */
    private static final RedisScript CONFIRM = new RedisScript("""
            if redis.call('HGET', KEYS[1], 'state') ~= '%s' then return 0 end
            redis.call('HSETNX', KEYS[1], 'confirmedAt', ARGV[1])
            return 1
            """.formatted(DeviceTaskState.TO_BE_UPGRADED.name()), ScriptOutputType.INTEGER);

    private final RedisClusterAsyncCommands<String, String> redis;
    private final TaskRepository tasks;
    private final DeviceRepository devices;
    private final DeviceStanding standing;
    private final Clock clock;
    private final DownloadProgressStore served;
    private final PackageSizes sizes;
    private final StageGuard guard;
    private final StageSuccessGate success;
    private final AbortGuard abortGuard;
    private final RollbackGuard rollbacks;
    private final TaskOutcomes outcomes;

    /**
     * @param served    the bytes the edges served per device and task, which show a waiting device as DOWNLOADING
     * @param firmwares the catalog, for the size of a package other than the task's own (a differential one)
     */
    public DeviceProgressService(RedisClusterAsyncCommands<String, String> redis, TaskRepository tasks, DeviceRepository devices,
                                 FirmwareRepository firmwares, Duration upgradeTimeout, Clock clock, DownloadProgressStore served) {
        this(redis, tasks, devices, firmwares, upgradeTimeout, clock, served, TaskOutcomes.NONE);
    }

    /** @param outcomes told when a device's outcome aborted its task (the metric) */
    public DeviceProgressService(RedisClusterAsyncCommands<String, String> redis, TaskRepository tasks, DeviceRepository devices,
                                 FirmwareRepository firmwares, Duration upgradeTimeout, Clock clock, DownloadProgressStore served,
                                 TaskOutcomes outcomes) {
        this.outcomes = outcomes;
        this.abortGuard = new AbortGuard(redis);
        this.rollbacks = new RollbackGuard(redis, tasks, firmwares, new TaskFactory(clock));
        this.served = served;
        this.redis = redis;
        this.tasks = tasks;
        this.devices = devices;
        this.sizes = new PackageSizes(firmwares);
        this.standing = new DeviceStanding(upgradeTimeout, clock);
        this.clock = clock;
        this.guard = new StageGuard(redis);
        this.success = new StageSuccessGate(redis, tasks, clock);
    }

    public Duration upgradeTimeout() {
        return standing.upgradeTimeout();
    }

    /**
     * A progress percentage: 0–99 means downloading, 100 means downloaded and now upgrading (OneNET's
     * rule), any step while upgrading stays upgrading, a negative step is a failure carrying the dialect's code.
     */
    public Mono<Transition> reportStep(String productId, String deviceId, String taskId, int step, String desc) {
        return run(productId, deviceId, taskId, "step", DeviceTaskState.DOWNLOADING, Integer.toString(step), desc, Set.of());
    }

    /** An explicit state (a dialect's state code); {@code step} is kept with it (negative on failure). */
    public Mono<Transition> reportState(String productId, String deviceId, String taskId, DeviceTaskState state,
                                        int step, String desc) {
        return reportState(productId, deviceId, taskId, state, step, desc, Set.of());
    }

    /**
     * As {@link #reportState(String, String, String, DeviceTaskState, int, String)}, but only from the given
     * states (a dialect rule narrower than the machine's, e.g. OneNET's "while upgrading only 2xx"); empty = any.
     */
    public Mono<Transition> reportState(String productId, String deviceId, String taskId, DeviceTaskState state,
                                        int step, String desc, Set<DeviceTaskState> onlyFrom) {
        return run(productId, deviceId, taskId, "state", state, Integer.toString(step), desc, onlyFrom);
    }

    /**
     * A failure of a kind the dialect names (hawkBit's {@code rejected} is {@link FailureKind#REJECTED}) rather than
     * the one the state it failed from implies, from any state the machine allows; {@code step} is the dialect's
     * negative code.
     */
    public Mono<Transition> reportFailure(String productId, String deviceId, String taskId, FailureKind kind, int step,
                                          String desc) {
        return run(productId, deviceId, taskId, "state", DeviceTaskState.FAILED, Integer.toString(step), desc, Set.of(), kind);
    }

    /** A state without a step: the stored step stays (a token check says "downloading" without a percentage). */
    public Mono<Transition> reportState(String productId, String deviceId, String taskId, DeviceTaskState state, String desc) {
        return run(productId, deviceId, taskId, "state", state, "", desc, Set.of());
    }

    /**
     * The device stayed in a running state past the upgrade timeout and checked in again: for a task whose retry
     * policy counts timeouts, that attempt is failed now ({@link FailureKind#TIMEOUT}), and its retries judged as
     * for any failure. A device that reported meanwhile (no longer running) is left alone.
     */
    public Mono<Transition> timeOut(String productId, String deviceId, String taskId) {
        return run(productId, deviceId, taskId, "timeout", DeviceTaskState.FAILED, "-1",
                "no outcome within " + upgradeTimeout(), DeviceStanding.IN_PROGRESS);
    }

    /** Whether a stored device-task row is in a running state past the upgrade timeout now. */
    public boolean timedOut(String productId, String deviceId, String taskId, TaskRef ref, Map<String, String> row) {
        return row.containsKey("state") && standing.of(productId, deviceId, taskId, ref, row).timedOut();
    }

    /**
     * A version the device runs now, for one catalog module: stored on the device, and for every task of
     * that module the device is in, the target version completes it (SUCCEEDED, from any state but a
     * success) while another version reported during UPGRADING fails it (the device came back on its old image).
     */
    public Mono<List<Transition>> reportVersion(String productId, String deviceId, String module, String version) {
        return devices.recordVersion(productId, deviceId, DeviceRepository.moduleVersionField(module), version, clock.millis())
                .then(settle(productId, deviceId, ref -> ref.module().equals(module), version));
    }

    /** As {@link #reportVersion(String, String, String, String)}, for the tasks of one upgrade type (OneNET's f/s versions). */
    public Mono<List<Transition>> reportVersion(String productId, String deviceId, UpgradeType type, String version) {
        return devices.recordVersion(productId, deviceId, DeviceRepository.versionField(type), version, clock.millis())
                .then(settle(productId, deviceId, ref -> ref.type() == type.code(), version));
    }

    /**
     * A user confirmed the upgrade of a CONFIRM task (Aliyun's {@code /living/ota/confirm}): recorded as
     * {@code confirmedAt} on a device still TO_BE_UPGRADED, after which it no longer needs confirmation;
     * false when the device is not waiting in that task.
     */
    public Mono<Boolean> confirm(String productId, String deviceId, String taskId) {
        return CONFIRM.<Long>run(redis, new String[] {RedisKeys.deviceTask(productId, taskId, deviceId)},
                Long.toString(clock.millis())).map(n -> n == 1L);
    }

    /**
     * Records what the edges served as the device's state: a device still TO_BE_UPGRADED that they served
     * bytes to moves to DOWNLOADING through the state machine (counters included), the share served as its
     * step ({@link ServedDownload}). Answers whether it moved. Idempotent and safe to run from several
     * control instances at once: the script moves the device only from TO_BE_UPGRADED, atomically, so of
     * two folds of one device one applies and the other finds it DOWNLOADING and writes nothing; a device
     * that reported on its own meanwhile (a step, a failure) keeps its report.
     */
    public Mono<Boolean> foldServed(String productId, String deviceId, String taskId, DeviceTaskState state,
                                    ServedBytes bytes, long size) {
        if (!ServedDownload.applies(state, bytes)) {
            return Mono.just(false);
        }
        return run(productId, deviceId, taskId, "step", DeviceTaskState.DOWNLOADING,
                Integer.toString(ServedDownload.step(bytes, size)), ServedDownload.DESC, Set.of(DeviceTaskState.TO_BE_UPGRADED))
                .map(t -> t.outcome() == Transition.Outcome.APPLIED);
    }

    /**
     * The device's standing with what the edges served it folded in ({@link ServedDownload}), as a share of
     * the package it was handed; reads only: {@link ServedBytesFold} records the move. A stopped task's
     * devices stay as they are (the state machine would not move them).
     */
    public Mono<DeviceProgress> withServedBytes(DeviceProgress p, UpgradeTask task) {
        if (p.state() != DeviceTaskState.TO_BE_UPGRADED || task.status() == TaskStatus.STOPPED) {
            return Mono.just(p);
        }
        return Mono.zip(Mono.fromCompletionStage(() -> served.forDevice(p.productId(), p.taskId(), p.deviceId())),
                        sizes.of(p.productId(), p.packageId(), task.firmware()))
                .map(bs -> ServedDownload.apply(p, bs.getT1(), bs.getT2()));
    }

    /** The sizes of the packages devices were handed, which their download shares are of. */
    public PackageSizes packageSizes() {
        return sizes;
    }

    /** The device's standing in its most recently offered task of this module; empty when it has none. */
    public Mono<DeviceProgress> progress(String productId, String deviceId, String module) {
        return history(productId, deviceId)
                .filter(p -> module == null || module.equals(p.module()))
                .reduce((a, b) -> a.offeredAt() >= b.offeredAt() ? a : b);
    }

    /** The device's standing in one task; empty when it was never offered that task. */
    public Mono<DeviceProgress> taskProgress(String productId, String deviceId, String taskId) {
        return Mono.fromCompletionStage(() -> redis.hget(ControlKeys.deviceTasks(productId, deviceId), taskId))
                .mapNotNull(TaskRef::decode)
                .flatMap(ref -> row(productId, deviceId, taskId, ref));
    }

    /** Every task the device was offered, newest first. */
    public Flux<DeviceProgress> history(String productId, String deviceId) {
        return Mono.fromCompletionStage(() -> redis.hgetall(ControlKeys.deviceTasks(productId, deviceId)))
                .flatMapMany(m -> Flux.fromIterable(m.entrySet()))
                .flatMap(e -> {
                    TaskRef ref = TaskRef.decode(e.getValue());
                    return ref == null ? Mono.empty() : row(productId, deviceId, e.getKey(), ref);
                }, 16)
                .sort(Comparator.comparingLong(DeviceProgress::offeredAt).reversed());
    }

    /** A device-task row as progress, judged against the upgrade timeout now ({@link DeviceStanding}). */
    public DeviceProgress toProgress(String productId, String deviceId, String taskId, TaskRef ref, Map<String, String> row) {
        return standing.of(productId, deviceId, taskId, ref, row);
    }

    /** The device's stored row in the task (field → value); empty when it was never offered the task. */
    public Mono<Map<String, String>> storedRow(String productId, String deviceId, String taskId) {
        return Mono.fromCompletionStage(() -> redis.hgetall(RedisKeys.deviceTask(productId, taskId, deviceId)))
                .filter(row -> row.containsKey("state"));
    }

    private Mono<DeviceProgress> row(String productId, String deviceId, String taskId, TaskRef ref) {
        return Mono.fromCompletionStage(() -> redis.hgetall(RedisKeys.deviceTask(productId, taskId, deviceId)))
                .filter(row -> row.containsKey("state"))
                .map(row -> toProgress(productId, deviceId, taskId, ref, row));
    }

    private Mono<List<Transition>> settle(String productId, String deviceId, Predicate<TaskRef> matches, String version) {
        return history(productId, deviceId)
                .filter(p -> matches.test(new TaskRef(p.type(), p.module(), p.targetVersion())) && p.state() != DeviceTaskState.SUCCEEDED)
                .concatMap(p -> {
                    if (FirmwareVersion.same(p.targetVersion(), version)) {
                        return run(productId, deviceId, p.taskId(), "version", DeviceTaskState.SUCCEEDED, "100",
                                "reported the target version " + version, Set.of());
                    }
                    if (p.state() == DeviceTaskState.UPGRADING) {
                        return run(productId, deviceId, p.taskId(), "state", DeviceTaskState.FAILED, "-1",
                                "reported version " + version + " after upgrading, not " + p.targetVersion(), Set.of());
                    }
                    return Mono.empty();
                })
                .collectList();
    }

    private Mono<Transition> run(String productId, String deviceId, String taskId, String mode, DeviceTaskState state,
                                 String step, String desc, Set<DeviceTaskState> onlyFrom) {
        return run(productId, deviceId, taskId, mode, state, step, desc, onlyFrom, null);
    }

    private Mono<Transition> run(String productId, String deviceId, String taskId, String mode, DeviceTaskState state,
                                 String step, String desc, Set<DeviceTaskState> onlyFrom, FailureKind kind) {
        // kind null = the script judges it from the state failed from (or the timeout mode).
        String from = onlyFrom.stream().map(Enum::name).collect(Collectors.joining(","));
        // The task as Redis holds it now (status included): the script runs in the device's bucket and
        // cannot read the task's control word itself.
        return tasks.find(taskId)
                .filter(t -> t.productId().equals(productId))
                .flatMap(t -> StateMachineScript.SCRIPT.<String>run(redis, keys(t, deviceId),
                                mode, state.name(), step, desc == null ? "" : desc, Long.toString(clock.millis()),
                                Integer.toString(t.spec().hints().retry()), t.status().name(), from,
                                Integer.toString(FailureKind.DOWNLOAD.retriesIn(t.spec().retries())),
                                Integer.toString(FailureKind.INSTALL.retriesIn(t.spec().retries())),
                                Integer.toString(FailureKind.TIMEOUT.retriesIn(t.spec().retries())),
                                Integer.toString(t.spec().retries().waitSeconds(1)),
                                Double.toString(Jitter.laterFactor(t.id(), deviceId)),
                                Integer.toString(RetryPolicy.MAX_WAIT_SECONDS),
                                kind == null ? "" : kind.key())
                        .flatMap(result -> judge(t, result)))
                .defaultIfEmpty(new Transition(Transition.Outcome.NOT_IN_TASK, null, state, false, false));
    }

    /** The script's answer as a transition, with what a final outcome did to the task (threshold, auto-advance). */
    private Mono<Transition> judge(UpgradeTask task, String result) {
        Transition t = parse(result);
        if (t.outcome() != Transition.Outcome.APPLIED
                || (t.to() != DeviceTaskState.SUCCEEDED && t.to() != DeviceTaskState.FAILED)) {
            return Mono.just(t);
        }
        int stage = Integer.parseInt(result.substring(result.lastIndexOf(':') + 1));
        long now = clock.millis();
        if (task.spec().abortCriteria().isEmpty() && task.spec().autoRollback() == null) {
            return stageGuard(task, t, stage, now);
        }
        // The task's outcomes are read once for both; the rollback first (a failure may both roll back and
        // abort), then the abort criteria: a task they stop is not paused or advanced by the same outcome.
        return abortGuard.outcomes(task)
                .flatMap(o -> rollbacks.afterOutcome(task, t.to(), o, now)
                        .doOnNext(rb -> {
                            tasks.invalidate(task.productId());
                            outcomes.rolledBack(task, rb);
                        })
                        .then(abortGuard.decide(task, o, now)))
                .map(abort -> {
                    tasks.invalidate(task.productId());
                    outcomes.aborted(task, abort.rule().failureType());
                    return t;
                })
                .switchIfEmpty(Mono.defer(() -> stageGuard(task, t, stage, now)));
    }

    private Mono<Transition> stageGuard(UpgradeTask task, Transition t, int stage, long now) {
        return guard.afterOutcome(task, t.to(), stage, now).flatMap(effect -> afterSuccess(task, t, effect)).map(effect -> {
            if (effect == StageGuard.Effect.NONE) {
                return t;
            }
            // The task's status or stage changed: the engine must see it at the next check.
            tasks.invalidate(task.productId());
            return new Transition(t.outcome(), t.from(), t.to(), effect == StageGuard.Effect.AUTO_PAUSED,
                    effect == StageGuard.Effect.ADVANCED);
        });
    }

    /** A success the guard did nothing with may complete the stage's success criteria ({@link StageSuccessGate}). */
    private Mono<StageGuard.Effect> afterSuccess(UpgradeTask task, Transition t, StageGuard.Effect effect) {
        if (effect != StageGuard.Effect.NONE || t.to() != DeviceTaskState.SUCCEEDED || !task.spec().success().enabled()) {
            return Mono.just(effect);
        }
        // The gate refreshes the task cache itself; a pause at the boundary is not a failure auto-pause.
        return success.judge(task).map(e -> e == StageSuccessGate.Effect.ADVANCED ? StageGuard.Effect.ADVANCED : StageGuard.Effect.NONE);
    }

    /** The success criteria's judge, for the periodic pass that ends soaks nobody reports into. */
    public StageSuccessGate stageSuccess() {
        return success;
    }

    private static String[] keys(UpgradeTask t, String deviceId) {
        return new String[] {RedisKeys.deviceTask(t.productId(), t.id(), deviceId),
                ControlKeys.taskStats(t.productId(), t.id(), RedisKeys.bucket(deviceId))};
    }

    /** Parses {@code <OUTCOME>:<from>:<to>:<stage>} ({@code from} empty when the device is not in the task). */
    static Transition parse(String result) {
        String[] p = result.split(":", -1);
        return new Transition(Transition.Outcome.valueOf(p[0]), p[1].isEmpty() ? null : DeviceTaskState.valueOf(p[1]),
                DeviceTaskState.valueOf(p[2]), false, false);
    }
}
