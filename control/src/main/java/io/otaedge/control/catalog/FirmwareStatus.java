package io.otaedge.control.catalog;

/**
 * Where a package stands in its release: {@link #TEST} is offered only by tasks that name their
 * devices (test devices), {@link #ONLINE} by any task, {@link #INVALID} by none (withdrawn).
 */
public enum FirmwareStatus {
    TEST,
    ONLINE,
    INVALID;

    /** The status named by {@code s} (any case), or null. */
    public static FirmwareStatus parse(String s) {
        if (s == null) {
            return null;
        }
        for (FirmwareStatus v : values()) {
            if (v.name().equalsIgnoreCase(s.trim())) {
                return v;
            }
        }
        return null;
    }
}
