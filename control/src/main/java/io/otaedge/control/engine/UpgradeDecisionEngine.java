package io.otaedge.control.engine;

import io.otaedge.control.device.DeviceCheck;
import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.catalog.FirmwareStatus;
import io.otaedge.control.task.DeviceHints;
import io.otaedge.control.task.Targeting;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.TaskStatus;
import io.otaedge.control.task.UpgradeTask;
import io.otaedge.control.version.FirmwareVersion;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * The one place that decides which task and package apply to a device. Every dialect asks here;
 * none of them holds a rule of its own. The newest running task that applies wins; within it a
 * differential package from the device's version is preferred to the full package.
 */
public final class UpgradeDecisionEngine {

    /** A device whose first check-in time is unknown counts as known since forever (enrolled everywhere). */
    public static final long KNOWN_SINCE_EVER = Long.MIN_VALUE;

    private final TaskRepository tasks;
    private final FirmwareRepository firmwares;
    private final Clock clock;

    public UpgradeDecisionEngine(TaskRepository tasks, FirmwareRepository firmwares, Clock clock) {
        this.tasks = tasks;
        this.firmwares = firmwares;
        this.clock = clock;
    }

    /**
     * The tasks applicable to a device (newest first) and, should none yield a package, the best reason.
     * {@code enrolmentMatters}: some task's answer depended on when the device first checked in.
     */
    public record Candidates(List<UpgradeTask> applicable, NoUpgradeReason reason, boolean enrolmentMatters) {
    }

    /**
     * A decision taken before the device's first check-in time is known (as if it were enrolled
     * everywhere), and whether that time could change it. The check path decides first, so that the
     * one Redis script that records the check can also read the token of the task it picked.
     */
    public record Provisional(Decision decision, boolean enrolmentMatters) {
    }

    public Mono<Provisional> decideAssumingEnrolled(DeviceCheck check) {
        return decideKnownSince(check, KNOWN_SINCE_EVER);
    }

    /** @param firstSeenAt when the device first checked in (epoch ms), for tasks that do not auto-add */
    public Mono<Decision> decide(DeviceCheck check, long firstSeenAt) {
        return decideKnownSince(check, firstSeenAt).map(Provisional::decision);
    }

    private Mono<Provisional> decideKnownSince(DeviceCheck check, long firstSeenAt) {
        long now = clock.millis();
        return tasks.newestFirstCached(check.productId()).flatMap(list -> {
            Candidates c = candidates(list, check, firstSeenAt, now);
            return resolve(c.applicable(), 0, check, c.reason()).map(d -> new Provisional(d, c.enrolmentMatters()));
        });
    }

    /** The product's task by id when it is running, from the same cached view the decisions use; empty otherwise. */
    public Mono<UpgradeTask> runningTask(String productId, String taskId) {
        return tasks.newestFirstCached(productId)
                .flatMap(list -> Mono.justOrEmpty(list.stream()
                        .filter(t -> t.id().equals(taskId) && t.status() == TaskStatus.RUNNING).findFirst()));
    }

    public static Candidates candidates(List<UpgradeTask> tasks, DeviceCheck check, long firstSeenAt, long now) {
        List<UpgradeTask> applicable = new ArrayList<>(2);
        NoUpgradeReason best = NoUpgradeReason.NO_TASK;
        boolean enrolmentMatters = false;
        for (UpgradeTask t : tasks) {
            NoUpgradeReason refusal = refusal(t, check, firstSeenAt, now);
            enrolmentMatters |= refusal != NoUpgradeReason.NO_TASK && enrolsOnlyEarlierDevices(t);
            if (refusal == null) {
                applicable.add(t);
            } else {
                best = NoUpgradeReason.mostSpecific(best, refusal);
            }
        }
        return new Candidates(applicable, best, enrolmentMatters);
    }

    /** A task that applies only to devices known before it was created (no auto-add, no device list). */
    private static boolean enrolsOnlyEarlierDevices(UpgradeTask t) {
        return t.spec().targeting().enrolsOnlyEarlierDevices();
    }

    /** Why this task does not apply to the device, or null when it does. */
    static NoUpgradeReason refusal(UpgradeTask t, DeviceCheck c, long firstSeenAt, long now) {
        Targeting who = t.spec().targeting();
        if (t.status() != TaskStatus.RUNNING || t.upgradeType() != c.type()
                || (c.module() != null && !c.module().equals(t.module()))
                || !who.includes(c.deviceId(), c.mac())) {
            return NoUpgradeReason.NO_TASK;
        }
        if (who.enrolsOnlyEarlierDevices() && firstSeenAt > t.createdAt().toEpochMilli()) {
            return NoUpgradeReason.NOT_ENROLLED;
        }
        if (!t.spec().schedule().contains(Instant.ofEpochMilli(now))) {
            return NoUpgradeReason.OUTSIDE_WINDOW;
        }
        if (!who.includesMake(c.manuf(), c.model())) {
            return NoUpgradeReason.MANUF_MODEL_MISMATCH;
        }
        FirmwareVersion.Relation version = FirmwareVersion.relation(c.version(), t.targetVersion());
        if (version == FirmwareVersion.Relation.SAME) {
            return NoUpgradeReason.ALREADY_UP_TO_DATE;
        }
        Firmware fw = t.firmware();
        if (fw.differential() && !FirmwareVersion.same(fw.sourceVersion(), c.version())) {
            return NoUpgradeReason.VERSION_MISMATCH;
        }
        if (!who.sourceVersions().isEmpty() && !FirmwareVersion.anySame(who.sourceVersions(), c.version())) {
            return NoUpgradeReason.SOURCE_VERSION_EXCLUDED;
        }
        NoUpgradeReason direction = direction(t, version);
        if (direction != null) {
            return direction;
        }
        if (t.spec().rollout().stageOf(t.id(), c.deviceId()) > t.stage()) {
            return NoUpgradeReason.NOT_IN_ROLLOUT;
        }
        DeviceHints hints = t.spec().hints();
        if (hints.enforceThresholds()) {
            if (c.signal() != null && c.signal() < hints.signal()) {
                return NoUpgradeReason.SIGNAL_TOO_WEAK;
            }
            if (c.power() != null && c.power() < hints.power()) {
                return NoUpgradeReason.BATTERY_TOO_LOW;
            }
        }
        return null;
    }

    /**
     * Only upgrades, unless the task is a rollback: a device newer than the target is never offered it, and
     * one whose version cannot be ordered against the target only when the task names that version as a
     * source (its own or its differential package's), since nobody can tell whether it would be a downgrade.
     */
    private static NoUpgradeReason direction(UpgradeTask t, FirmwareVersion.Relation version) {
        if (t.spec().offer().rollback() || version == FirmwareVersion.Relation.OLDER) {
            return null;
        }
        if (version == FirmwareVersion.Relation.NEWER) {
            return NoUpgradeReason.NEWER_THAN_TARGET;
        }
        boolean named = !t.spec().targeting().sourceVersions().isEmpty() || t.firmware().differential();
        return named ? null : NoUpgradeReason.VERSION_UNORDERED;
    }

    private Mono<Decision> resolve(List<UpgradeTask> applicable, int i, DeviceCheck check, NoUpgradeReason reason) {
        if (i == applicable.size()) {
            return Mono.just(new Decision.NoUpgrade(reason));
        }
        return packageFor(applicable.get(i), check).flatMap(d -> d instanceof Decision.NoUpgrade no
                ? resolve(applicable, i + 1, check, NoUpgradeReason.mostSpecific(reason, no.reason()))
                : Mono.just(d));
    }

    /** The task's package for this device: its status checked, a differential one preferred. */
    private Mono<Decision> packageFor(UpgradeTask t, DeviceCheck check) {
        Firmware fw = t.firmware();
        Mono<FirmwareStatus> status = firmwares.statusCached(t.productId(), fw.id()).defaultIfEmpty(FirmwareStatus.ONLINE);
        Mono<Optional<Firmware>> delta = fw.differential() ? Mono.just(Optional.empty())
                : firmwares.findPackageCached(t.productId(), fw.module(), fw.version(), check.version())
                        .filter(d -> released(d.status(), t)).map(Optional::of).defaultIfEmpty(Optional.empty());
        return Mono.zip(status, delta).map(sd -> {
            if (!released(sd.getT1(), t)) {
                return new Decision.NoUpgrade(NoUpgradeReason.FIRMWARE_NOT_RELEASED);
            }
            if (sd.getT2().isPresent()) {
                return new Decision.Upgrade(t, sd.getT2().get());
            }
            if (t.spec().offer().deltaOnly() && !fw.differential()) {
                return new Decision.NoUpgrade(NoUpgradeReason.NO_DELTA_PACKAGE);
            }
            return new Decision.Upgrade(t, fw.withStatus(sd.getT1()));
        });
    }

    /** ONLINE packages go to anyone; TEST packages only through tasks that name their (test) devices. */
    static boolean released(FirmwareStatus status, UpgradeTask t) {
        return status == FirmwareStatus.ONLINE || (status == FirmwareStatus.TEST && !t.spec().targeting().devices().isEmpty());
    }
}
