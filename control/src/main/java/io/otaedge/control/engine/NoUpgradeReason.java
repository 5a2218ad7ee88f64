package io.otaedge.control.engine;

/**
 * Why no upgrade applies; each dialect maps a reason to its own code (OneNET: {@link #MANUF_MODEL_MISMATCH}
 * 8, {@link #VERSION_MISMATCH} 9, {@link #NO_DELTA_PACKAGE} 32, every other reason 11). When several
 * tasks refuse a device, the engine reports the most specific reason: declaration order, last wins.
 */
public enum NoUpgradeReason {
    /** No running task of this type targets this device and version. */
    NO_TASK,
    /** A task targets the device, but it already runs the target version. */
    ALREADY_UP_TO_DATE,
    /** The device runs a newer version than the task's target, and the task is not a rollback. */
    NEWER_THAN_TARGET,
    /**
     * The device's version and the target cannot be ordered (see {@code FirmwareVersion}), and the task
     * neither names the device's version as a source nor is a rollback.
     */
    VERSION_UNORDERED,
    /** The task does not auto-add, and the device first checked in after the task was created. */
    NOT_ENROLLED,
    /** The task's schedule window is closed now. */
    OUTSIDE_WINDOW,
    /** The device's place in the staged rollout is not reached yet. */
    NOT_IN_ROLLOUT,
    /**
     * The task would apply, but its rollout rate let in as many new devices this minute as it allows: come back
     * later ({@code CheckOutcome.Refused#retryAfterSeconds}). Given after the engine's decision, never merged.
     */
    RATE_HELD,
    /**
     * The task would apply, but none of its maintenance windows is open: come back when the next opens
     * ({@code CheckOutcome.Refused#retryAfterSeconds}). Given after the engine's decision, never merged; a device
     * already enrolled (holding its token) is never given it.
     */
    MAINTENANCE_WINDOW,
    /**
     * The device failed in the task and waits out its retry wait (the task's {@code retryWaitSeconds}, doubling per
     * failure, jittered per device) before it is offered the task again: come back later
     * ({@code CheckOutcome.Refused#retryAfterSeconds}). Given after the engine's decision, never merged.
     */
    RETRY_WAIT,
    /**
     * The device failed in the task more often than its retry policy allows (of one kind, or over all kinds): it is
     * failed for good and not offered the task again. Given after the engine's decision, never merged.
     */
    RETRIES_EXHAUSTED,
    /** The task upgrades only from other versions. */
    SOURCE_VERSION_EXCLUDED,
    /** The package is withdrawn (INVALID), or TEST while the task does not name its devices. */
    FIRMWARE_NOT_RELEASED,
    /** The device reported less signal than the task requires. */
    SIGNAL_TOO_WEAK,
    /** The device reported less battery than the task requires. */
    BATTERY_TOO_LOW,
    /** The task targets the device, but not its manufacturer or model. */
    MANUF_MODEL_MISMATCH,
    /** The task's differential package starts from another version than the device runs. */
    VERSION_MISMATCH,
    /** The task offers only differential packages and none starts from the device's version. */
    NO_DELTA_PACKAGE;

    /** The more specific of two reasons. */
    public static NoUpgradeReason mostSpecific(NoUpgradeReason a, NoUpgradeReason b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
