package io.otaedge.control.engine;

import io.otaedge.control.task.UpgradeType;

/**
 * A device asking whether an upgrade applies, as every dialect reduces it.
 *
 * @param signal signal strength the device reported, or null
 * @param power  battery percentage the device reported, or null
 */
public record DeviceCheck(String productId, String deviceId, UpgradeType type, String version,
                          String manuf, String model, Integer signal, Integer power) {
}
