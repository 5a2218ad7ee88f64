package io.otaedge.control.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.otaedge.control.catalog.Firmware;
import java.time.Instant;

/**
 * An upgrade campaign: its identity, its live control word ({@code status}, {@code stage}: they change while
 * the task runs, kept apart in Redis and merged in on every read), when it was created, a snapshot of its
 * firmware (firmwares are immutable, so a check needs no second lookup) and what the operator asked
 * ({@link TaskSpec}). Tasks are made by {@link TaskFactory}; their JSON (stored and shown) is {@link TaskJson}.
 */
public record UpgradeTask(String id, String productId, String firmwareId, TaskStatus status, int stage,
                          Instant createdAt, Firmware firmware, TaskSpec spec) {

    /** The one JSON form, flat as it always was: what Redis holds and the admin API shows. */
    @JsonValue
    public TaskJson json() {
        return TaskJson.of(this);
    }

    @JsonCreator
    static UpgradeTask fromJson(TaskJson json) {
        return json.toTask();
    }

    public String targetVersion() {
        return firmware.version();
    }

    public String module() {
        return firmware.module();
    }

    public UpgradeType upgradeType() {
        return spec.offer().type();
    }

    /** The same task with its live status and stage. */
    public UpgradeTask withControl(TaskStatus newStatus, int newStage) {
        return new UpgradeTask(id, productId, firmwareId, newStatus, newStage, createdAt, firmware, spec);
    }
}
