package io.otaedge.control.task;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.otaedge.control.catalog.Firmware;
import java.util.List;

/**
 * An upgrade campaign: which firmware, for which devices and source versions, and the conditions
 * handed to devices. Stored as one JSON value; the firmware is kept as a snapshot (firmwares are
 * immutable), so a check needs no second lookup.
 *
 * @param sourceVersions the versions it upgrades from; empty = any
 * @param devices        the device ids it targets; empty = every device of the product
 */
public record UpgradeTask(String id, String productId, String firmwareId, int type, List<String> sourceVersions,
                          List<String> devices, int signal, int power, int retry, int interval,
                          TaskStatus status, String createdAt, Firmware firmware) {

    public UpgradeTask {
        sourceVersions = sourceVersions == null ? List.of() : List.copyOf(sourceVersions);
        devices = devices == null ? List.of() : List.copyOf(devices);
    }

    @JsonIgnore
    public String targetVersion() {
        return firmware.version();
    }

    @JsonIgnore
    public UpgradeType upgradeType() {
        return UpgradeType.ofCode(type);
    }
}
