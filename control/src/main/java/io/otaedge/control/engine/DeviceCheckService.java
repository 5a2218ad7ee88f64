package io.otaedge.control.engine;

import io.otaedge.control.device.DeviceCheck;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.progress.Transition;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.task.Jitter;
import io.otaedge.control.task.MaintenanceWindows;
import io.otaedge.control.task.RolloutRateGate;
import io.otaedge.control.task.WindowHolds;
import io.otaedge.control.task.UpgradeTask;
import io.otaedge.control.token.TokenIssuer;
import io.otaedge.control.version.FirmwareVersion;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/**
 * A device check, dialect-free: store the reported version (always, whether or not a task applies),
 * ask the engine, and hand out the device's token for the task and package it picked. A token
 * already issued for the task is handed out again while valid, even when a newer package appeared.
 */
public final class DeviceCheckService {

    private final DeviceRepository devices;
    private final UpgradeDecisionEngine engine;
    private final TokenIssuer tokens;
    private final Clock clock;
    private final DeviceProgressService progress;
    private final RolloutRateGate rate;
    private final Runnable onRateHeld;
    private final WindowHolds windowHolds;
    private final RetryHold retries;
    private final Consumer<NoUpgradeReason> onRetryHeld;

    /** @param progress told when a device checks in on a task's target version (that completes the task) */
    public DeviceCheckService(DeviceRepository devices, UpgradeDecisionEngine engine, TokenIssuer tokens, Clock clock,
                              DeviceProgressService progress) {
        this(devices, engine, tokens, clock, progress, null, () -> { });
    }

    /**
     * @param rate       enforces the tasks' rollout rates; null = rates are not enforced
     * @param onRateHeld runs once per check held back by a rollout rate (a metric)
     */
    public DeviceCheckService(DeviceRepository devices, UpgradeDecisionEngine engine, TokenIssuer tokens, Clock clock,
                              DeviceProgressService progress, RolloutRateGate rate, Runnable onRateHeld) {
        this(devices, engine, tokens, clock, progress, rate, onRateHeld, null, reason -> { });
    }

    /** @param windowHolds counts the checks held back by maintenance windows; null = not counted (still enforced) */
    public DeviceCheckService(DeviceRepository devices, UpgradeDecisionEngine engine, TokenIssuer tokens, Clock clock,
                              DeviceProgressService progress, RolloutRateGate rate, Runnable onRateHeld,
                              WindowHolds windowHolds) {
        this(devices, engine, tokens, clock, progress, rate, onRateHeld, windowHolds, reason -> { });
    }

    /** @param onRetryHeld told once per check refused by the task's retry policy (a metric): its reason */
    public DeviceCheckService(DeviceRepository devices, UpgradeDecisionEngine engine, TokenIssuer tokens, Clock clock,
                              DeviceProgressService progress, RolloutRateGate rate, Runnable onRateHeld,
                              Consumer<NoUpgradeReason> onRetryHeld) {
        this(devices, engine, tokens, clock, progress, rate, onRateHeld, null, onRetryHeld);
    }

    /**
     * @param windowHolds counts the checks held back by maintenance windows; null = not counted (still enforced)
     * @param onRetryHeld told once per check refused by the task's retry policy (a metric): its reason
     */
    public DeviceCheckService(DeviceRepository devices, UpgradeDecisionEngine engine, TokenIssuer tokens, Clock clock,
                              DeviceProgressService progress, RolloutRateGate rate, Runnable onRateHeld,
                              WindowHolds windowHolds, Consumer<NoUpgradeReason> onRetryHeld) {
        this.windowHolds = windowHolds;
        this.onRetryHeld = onRetryHeld;
        this.rate = rate;
        this.onRateHeld = onRateHeld;
        this.progress = progress;
        this.devices = devices;
        this.engine = engine;
        this.tokens = tokens;
        this.clock = clock;
        this.retries = new RetryHold(progress, clock);
    }

    /**
     * The engine decides first, from its cached catalog, as if the device were enrolled everywhere; then
     * one script records the check and reads the device's token pointer for the task picked; the
     * pointer carries a copy of the grant, so a device that already holds a token costs that one
     * Redis command.
     * Only when the device's first check-in time could change the answer (a task without auto-add)
     * does the engine decide again, with that time.
     */
    public Mono<CheckOutcome> check(DeviceCheck check) {
        return engine.decideAssumingEnrolled(check).flatMap(provisional -> {
            UpgradeTask picked = provisional.decision() instanceof Decision.Upgrade up ? up.task() : null;
            String pointer = picked == null ? null : TokenIssuer.pointer(picked, check.deviceId());
            String row = picked == null ? null : RedisKeys.deviceTask(check.productId(), picked.id(), check.deviceId());
            return devices.recordCheck(check, clock.millis(), pointer, row).flatMap(recorded -> {
                Mono<Decision> decision = provisional.enrolmentMatters()
                        ? engine.decide(check, recorded.firstSeenAt()) : Mono.just(provisional.decision());
                return decision.flatMap(d -> {
                    if (d instanceof Decision.Upgrade up) {
                        boolean pointerRead = picked != null && up.task().id().equals(picked.id());
                        Mono<CheckOutcome> offer = Mono.defer(() -> (pointerRead
                                ? tokens.issue(up.task(), up.pkg(), check.deviceId(), check.version(), check.signal(), recorded.alsoRead())
                                : tokens.issue(up.task(), up.pkg(), check.deviceId(), check.version(), check.signal()))
                                .map(g -> (CheckOutcome) new CheckOutcome.Offer(up.task(), g, up.pkg())));
                        Mono<Map<String, String>> taskRow = pointerRead ? Mono.just(recorded.row())
                                : progress.storedRow(check.productId(), check.deviceId(), up.task().id()).defaultIfEmpty(Map.of());
                        return taskRow.flatMap(r -> retries.judge(up.task(), check.deviceId(), r)
                                .map(held -> {
                                    onRetryHeld.accept(held.reason());
                                    return (CheckOutcome) held;
                                })
                                .switchIfEmpty(Mono.defer(() -> offerToNew(up.task(), check, offer, pointerRead, recorded))));
                    }
                    return refused(check, ((Decision.NoUpgrade) d).reason());
                });
            });
        });
    }

    /**
     * A device resuming a broken download (a ranged retry from a byte past 0) must get the bytes of the
     * file it was downloading, not another task's at that offset: its still-valid token in the task of
     * the check's module it was most recently offered, while that task runs and the device has neither
     * finished it (SUCCEEDED, FAILED) nor reports its target version. The check is recorded as usual.
     * Empty when there is no such grant: the caller then decides as for a fresh {@link #check}.
     */
    public Mono<TokenGrant> resume(DeviceCheck check) {
        if (check.module() == null) {
            return Mono.empty();
        }
        return progress.progress(check.productId(), check.deviceId(), check.module())
                .filter(p -> !p.state().terminal() && (check.type() == null || p.type() == check.type().code()))
                .flatMap(p -> engine.runningTask(check.productId(), p.taskId()))
                .flatMap(task -> tokens.current(task, check.deviceId()))
                .filter(g -> !FirmwareVersion.same(g.version(), check.version()))
                .flatMap(g -> devices.recordCheck(check, clock.millis(), null).thenReturn(g));
    }

    private boolean rateLimited(UpgradeTask task) {
        return rate != null && task.spec().rate().limited();
    }

    /** An offer, unless the device is new to a task with maintenance windows or a rate: then those decide. */
    private Mono<CheckOutcome> offerToNew(UpgradeTask task, DeviceCheck check, Mono<CheckOutcome> offer,
                                          boolean pointerRead, DeviceRepository.CheckRecord recorded) {
        if (!rateLimited(task) && !task.spec().windows().any()) {
            return offer;
        }
        // A device that holds a token pointer for the task is enrolled: it keeps its offer.
        Mono<Boolean> enrolled = pointerRead ? Mono.just(recorded.alsoRead().isPresent())
                : tokens.current(task, check.deviceId()).hasElement();
        return enrolled.flatMap(in -> in ? offer : admitNew(task, check.deviceId(), offer));
    }

    /**
     * A device not yet enrolled in the task: outside the task's maintenance windows it is told when the next one
     * opens, stretched by its own jitter so a waiting fleet does not all come back in the window's first second
     * (before the rate, so a held device takes no place of the minute's rate); inside, the rate decides.
     */
    private Mono<CheckOutcome> admitNew(UpgradeTask task, String deviceId, Mono<CheckOutcome> offer) {
        MaintenanceWindows windows = task.spec().windows();
        Instant now = clock.instant();
        if (!windows.openAt(now)) {
            CheckOutcome held = new CheckOutcome.Refused(NoUpgradeReason.MAINTENANCE_WINDOW, false,
                    (int) Math.min(MaintenanceWindows.RETRY_CAP.toSeconds(), Jitter.later(windows.retryAfterSeconds(now), task.id(), deviceId)));
            return windowHolds == null ? Mono.just(held) : windowHolds.held(task).thenReturn(held);
        }
        return rateLimited(task) ? rateLimited(task, deviceId, offer) : offer;
    }

    /**
     * A new device for a rate-limited task: let in (then offered) or told when the next minute starts, stretched
     * by its own jitter so the held devices do not all come back in the minute's first second.
     */
    private Mono<CheckOutcome> rateLimited(UpgradeTask task, String deviceId, Mono<CheckOutcome> offer) {
        return rate.admit(task, clock.millis()).flatMap(a -> {
            if (a.admitted()) {
                return offer;
            }
            onRateHeld.run();
            return Mono.just(new CheckOutcome.Refused(NoUpgradeReason.RATE_HELD, false,
                    Jitter.later(a.retryAfterSeconds(), task.id(), deviceId)));
        });
    }

    private Mono<CheckOutcome> refused(DeviceCheck check, NoUpgradeReason reason) {
        if (reason != NoUpgradeReason.ALREADY_UP_TO_DATE || (check.module() == null && check.type() == null)) {
            return Mono.just(new CheckOutcome.Refused(reason));
        }
        // Only here (rare) is the device's task history read: a check on the target version is success.
        Mono<List<Transition>> settled = check.module() != null
                ? progress.reportVersion(check.productId(), check.deviceId(), check.module(), check.version())
                : progress.reportVersion(check.productId(), check.deviceId(), check.type(), check.version());
        return settled.map(moves -> new CheckOutcome.Refused(reason, moves.stream()
                .anyMatch(Transition::completed)));
    }
}
