package io.otaedge.control.progress;

import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.RetryPolicy;
import java.util.Locale;

/**
 * What a device's failure was, judged by the state it failed from: a device that had not finished its download
 * (TO_BE_UPGRADED, DOWNLOADING) failed to download, one that had (DOWNLOADED, UPGRADING) failed to install, and one
 * that stayed in a running state past {@code OTA_UPGRADE_TIMEOUT} timed out. Dialects need not say which: their
 * reports already moved the device through the states (OneNET's 1xx codes fail a download, its 2xx an install).
 * A dialect may name the kind itself: hawkBit's {@code rejected} feedback is {@link #REJECTED} (the device declined).
 * Each kind is counted on the device-task row ({@link #rowField}) and in the task's counters ({@link #statsField});
 * the devices failed now are also counted per stage and kind ({@link #counter}, taken back on a retry), for the
 * abort criteria, which judge final outcomes.
 */
public enum FailureKind {
    DOWNLOAD,
    INSTALL,
    TIMEOUT,
    REJECTED;

    /** The row field holding the kind of the device's latest failure. */
    public static final String FIELD = "failureKind";

    /** The kind of a failure reported from {@code from}. */
    public static FailureKind of(DeviceTaskState from) {
        return from == DeviceTaskState.DOWNLOADED || from == DeviceTaskState.UPGRADING ? INSTALL : DOWNLOAD;
    }

    /** The name on rows, counters and the wire: {@code download}, {@code install}, {@code timeout}, {@code rejected}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The bucket counter of the devices of {@code stage} failed now with this kind (a retry takes one back). */
    public static String counter(int stage, FailureKind kind) {
        return "stage:" + stage + ":failed:" + kind.key();
    }

    /** The device-task row's count of this kind's failures. */
    public String rowField() {
        return "failures:" + key();
    }

    /** The task counter of this kind's failures ({@code what} = failures, retries or exhausted). */
    public String statsField(String what) {
        return what + ":" + key();
    }

    /** The retries the policy allows after this kind of failure; -1 = only the budget over all kinds bounds them. */
    public int retriesIn(RetryPolicy p) {
        Integer n = switch (this) {
            case DOWNLOAD -> p.downloadRetries();
            case INSTALL -> p.installRetries();
            case TIMEOUT -> p.timeoutRetries();
            // A refusal has no count of its own: the budget over all kinds bounds it.
            case REJECTED -> null;
        };
        return n == null ? -1 : n;
    }
}
