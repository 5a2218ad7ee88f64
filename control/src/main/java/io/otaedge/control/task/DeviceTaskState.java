package io.otaedge.control.task;

import java.util.Locale;

/**
 * Where a device stands in one task: {@code TO_BE_UPGRADED → DOWNLOADING → (DOWNLOADED) → UPGRADING
 * → SUCCEEDED | FAILED}. A token issue reaches {@link #TO_BE_UPGRADED}; the devices' reports drive the rest
 * (see {@code progress.DeviceProgressService}).
 */
public enum DeviceTaskState {
    TO_BE_UPGRADED,
    DOWNLOADING,
    DOWNLOADED,
    UPGRADING,
    SUCCEEDED,
    FAILED;

    /** The device-task field holding when the device entered this state, e.g. {@code upgradingAt}. */
    public String timeField() {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char ch : name().toLowerCase(Locale.ROOT).toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return sb.append("At").toString();
    }

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED;
    }
}
