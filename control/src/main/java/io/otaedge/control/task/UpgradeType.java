package io.otaedge.control.task;

/** What a task upgrades: the module firmware (FOTA, code 1) or the application (SOTA, code 2), as OneNET numbers them. */
public enum UpgradeType {
    FOTA(1),
    SOTA(2);

    private final int code;

    UpgradeType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with this code, or null when there is none. */
    public static UpgradeType ofCode(int code) {
        for (UpgradeType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
