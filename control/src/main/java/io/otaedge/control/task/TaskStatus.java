package io.otaedge.control.task;

/** A task's lifecycle; only running tasks are offered to devices. */
public enum TaskStatus {
    RUNNING,
    PAUSED,
    STOPPED
}
