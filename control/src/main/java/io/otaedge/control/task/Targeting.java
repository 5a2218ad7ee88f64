package io.otaedge.control.task;

import java.util.List;

/**
 * Which devices a task is for. Every list empty means "no filter on that".
 *
 * @param sourceVersions the versions it upgrades from; empty = any
 * @param devices        the device ids it targets; empty = every device of the product
 * @param macRanges      MAC ranges it targets (a device matches any)
 * @param manufacturers  manufacturers it targets
 * @param models         models it targets
 * @param autoAdd        enrol matching devices that first check in after the task was created
 */
public record Targeting(List<String> sourceVersions, List<String> devices, List<MacRange> macRanges,
                        List<String> manufacturers, List<String> models, boolean autoAdd) {

    /** Every device of the product, from any version, new devices enrolled as they come. */
    public static final Targeting EVERY_DEVICE = new Targeting(null, null, null, null, null, true);

    public Targeting {
        sourceVersions = copy(sourceVersions);
        devices = copy(devices);
        macRanges = copy(macRanges);
        manufacturers = copy(manufacturers);
        models = copy(models);
    }

    public Targeting withDevices(List<String> ids) {
        return new Targeting(sourceVersions, ids, macRanges, manufacturers, models, autoAdd);
    }

    /** The device's id and MAC pass the device list and the MAC ranges. */
    public boolean includes(String deviceId, String mac) {
        return (devices.isEmpty() || devices.contains(deviceId))
                && (macRanges.isEmpty() || macRanges.stream().anyMatch(r -> r.contains(mac)));
    }

    /** The device's manufacturer and model pass their filters. */
    public boolean includesMake(String manufacturer, String model) {
        return (manufacturers.isEmpty() || manufacturers.contains(manufacturer))
                && (models.isEmpty() || models.contains(model));
    }

    /** Only devices known before the task was created take part (no auto-add, no device list). */
    public boolean enrolsOnlyEarlierDevices() {
        return !autoAdd && devices.isEmpty();
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
