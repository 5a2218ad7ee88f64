package io.otaedge.control.device;

import io.otaedge.control.task.UpgradeType;

/**
 * A device asking whether an upgrade applies, as every dialect reduces it.
 *
 * @param signal signal strength the device reported, or null
 * @param power  battery percentage the device reported, or null
 * @param module the catalog module asked about ({@code default}, {@code mcu}, {@code wifi}, …); null = any module of the type
 * @param mac    the device's MAC address for MAC-range filters, or null
 */
public record DeviceCheck(String productId, String deviceId, UpgradeType type, String version,
                          String manuf, String model, Integer signal, Integer power, String module, String mac) {

    /** A check without module or MAC (OneNET's shape). */
    public DeviceCheck(String productId, String deviceId, UpgradeType type, String version,
                       String manuf, String model, Integer signal, Integer power) {
        this(productId, deviceId, type, version, manuf, model, signal, power, null, null);
    }
}
