package io.otaedge.control.task;

/**
 * A task's lifecycle: CREATED → RUNNING ⇄ PAUSED, and STOPPED from any of them (final). Only running
 * tasks are offered to devices; a stopped task's devices are told it was cancelled.
 */
public enum TaskStatus {
    RUNNING,
    PAUSED,
    STOPPED,
    CREATED
}
