package io.otaedge.control.progress;

/**
 * Why a device's attempt failed, as the abort criteria (and a retry policy) tell failures apart: the state
 * machine stores it on the device-task row ({@code failureKind}) and counts the kinds other than
 * {@link #FAILED} per stage in the bucket's task counters ({@code stage:<s>:failed:<KIND>}); FAILED is the
 * stage's failures less the others, so rows written before the kinds existed count as FAILED.
 */
public enum FailureKind {
    /** The download or the install failed (every failure a dialect reports, unless it says otherwise). */
    FAILED,
    /** The device (or its user) refused the update: hawkBit's {@code rejected} feedback. */
    REJECTED,
    /** The device stayed in a running state longer than {@code OTA_UPGRADE_TIMEOUT}. */
    TIMED_OUT;

    /** The row field holding the kind of the device's latest failure. */
    public static final String FIELD = "failureKind";

    /** The bucket counter of this kind's failures in {@code stage}; FAILED has none (it is the rest). */
    public static String counter(int stage, FailureKind kind) {
        return "stage:" + stage + ":failed:" + kind.name();
    }

    /** The kind stored on a row; FAILED when the row has none (written before the kinds, or a plain failure). */
    public static FailureKind of(String stored) {
        if (stored == null) {
            return FAILED;
        }
        try {
            return valueOf(stored);
        } catch (IllegalArgumentException e) {
            return FAILED;
        }
    }
}
