package io.otaedge.control.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.otaedge.control.catalog.Firmware;
import java.time.Instant;
import java.util.List;

/**
 * An upgrade campaign: which firmware, for which devices and source versions, and the conditions
 * handed to devices. Stored as one JSON value; the firmware is kept as a snapshot (firmwares are
 * immutable), so a check needs no second lookup. {@code status} and {@code stage} change while the
 * task runs: they live in the task's control word and are merged in on every read.
 *
 * @param sourceVersions    the versions it upgrades from; empty = any
 * @param devices           the device ids it targets; empty = every device of the product
 * @param macRanges         MAC ranges it targets (a device matches any); empty = no MAC filter
 * @param manufacturers     manufacturers it targets; empty = any
 * @param models            models it targets; empty = any
 * @param stages            cumulative rollout percentages, e.g. [1, 10, 100]; empty = [100]
 * @param stage             index of the current stage in {@code stages}
 * @param autoAdvance       move to the next stage once the current one has {@code minSample} outcomes within the threshold
 * @param failureThreshold  failure percentage of a stage above which the task pauses itself; null = never
 * @param minSample         outcomes a stage needs before the threshold is judged
 * @param mode              CONFIRM (the user confirms on the device) or COMPELLENT (forced)
 * @param startAt           ISO instant before which nothing is offered; null = at once
 * @param endAt             ISO instant after which nothing is offered; null = never
 * @param autoAdd           enrol matching devices that first check in after the task was created
 * @param enforceThresholds refuse devices reporting less than {@code signal}/{@code power} (otherwise handed to them)
 * @param deltaOnly         offer only differential packages (no full-package fallback)
 * @param rollback          a deliberate downgrade: offered to devices on newer (or unordered) versions too;
 *                          otherwise a task only ever upgrades (see {@code FirmwareVersion})
 */
public record UpgradeTask(String id, String productId, String firmwareId, int type, List<String> sourceVersions,
                          List<String> devices, int signal, int power, int retry, int interval,
                          TaskStatus status, String createdAt, Firmware firmware,
                          List<MacRange> macRanges, List<String> manufacturers, List<String> models,
                          List<Double> stages, int stage, boolean autoAdvance, Integer failureThreshold, int minSample,
                          UpgradeMode mode, String startAt, String endAt, Boolean autoAdd,
                          boolean enforceThresholds, boolean deltaOnly, boolean rollback) {

    @JsonCreator
    public UpgradeTask {
        sourceVersions = sourceVersions == null ? List.of() : List.copyOf(sourceVersions);
        devices = devices == null ? List.of() : List.copyOf(devices);
        macRanges = macRanges == null ? List.of() : List.copyOf(macRanges);
        manufacturers = manufacturers == null ? List.of() : List.copyOf(manufacturers);
        models = models == null ? List.of() : List.copyOf(models);
        stages = stages == null || stages.isEmpty() ? List.of(100.0) : List.copyOf(stages);
        mode = mode == null ? UpgradeMode.COMPELLENT : mode;
        autoAdd = autoAdd == null ? Boolean.TRUE : autoAdd;
    }

    /** A task with only the first campaign features: every device, at once, auto-adding, forced. */
    public UpgradeTask(String id, String productId, String firmwareId, int type, List<String> sourceVersions,
                       List<String> devices, int signal, int power, int retry, int interval,
                       TaskStatus status, String createdAt, Firmware firmware) {
        this(id, productId, firmwareId, type, sourceVersions, devices, signal, power, retry, interval, status, createdAt,
                firmware, null, null, null, null, 0, false, null, 0, null, null, null, null, false, false, false);
    }

    @JsonIgnore
    public String targetVersion() {
        return firmware.version();
    }

    @JsonIgnore
    public UpgradeType upgradeType() {
        return UpgradeType.ofCode(type);
    }

    @JsonIgnore
    public String module() {
        return firmware.module();
    }

    /** The same task with its live status and stage. */
    public UpgradeTask withControl(TaskStatus newStatus, int newStage) {
        return new UpgradeTask(id, productId, firmwareId, type, sourceVersions, devices, signal, power, retry, interval,
                newStatus, createdAt, firmware, macRanges, manufacturers, models, stages, newStage, autoAdvance,
                failureThreshold, minSample, mode, startAt, endAt, autoAdd, enforceThresholds, deltaOnly, rollback);
    }

    /** True when {@code nowMillis} lies inside the schedule window. */
    public boolean inWindow(long nowMillis) {
        return (startAt == null || Instant.parse(startAt).toEpochMilli() <= nowMillis)
                && (endAt == null || nowMillis < Instant.parse(endAt).toEpochMilli());
    }
}
