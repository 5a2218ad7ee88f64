package io.otaedge.control.task;

/** Whether a device's user must confirm the upgrade ({@code CONFIRM}) or it is forced ({@code COMPELLENT}), as Aliyun names them. */
public enum UpgradeMode {
    CONFIRM,
    COMPELLENT
}
