package io.otaedge.control.task;

/**
 * Where a device stands in one task. Issue 2 reaches {@link #TO_BE_UPGRADED} (a token was issued);
 * the later states are driven by the devices' progress reports.
 */
public enum DeviceTaskState {
    TO_BE_UPGRADED,
    DOWNLOADING,
    DOWNLOADED,
    UPGRADING,
    SUCCEEDED,
    FAILED
}
