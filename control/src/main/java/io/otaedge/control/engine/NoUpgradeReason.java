package io.otaedge.control.engine;

/** Why no upgrade applies; each dialect maps a reason to its own code. */
public enum NoUpgradeReason {
    /** No running task of this type targets this device and version. */
    NO_TASK,
    /** A task targets the device, but it already runs the target version. */
    ALREADY_UP_TO_DATE
}
