package io.otaedge.control.task;

/**
 * How often a failed device is offered the task again, by failure kind (AWS IoT Jobs
 * {@code jobExecutionsRetryConfig}: its {@code FAILED}, {@code TIMED_OUT} and {@code ALL} criteria), and how long
 * it waits before it is. The task's {@code retry} ({@link DeviceHints#retry()}) stays the budget over all kinds
 * (AWS's {@code ALL}); a kind's own count, when set, bounds that kind as well. A device whose failures of one kind
 * pass that kind's count, or whose failures pass {@code retry}, is failed for good and no longer offered the task.
 * All fields null = the budget over all kinds only, no wait, and a timeout is only reported (as before).
 *
 * @param downloadRetries  retries after a download failure (the device failed while waiting for or downloading the package)
 * @param installRetries   retries after an install failure (it failed once downloaded or while upgrading)
 * @param timeoutRetries   retries after a timeout ({@code OTA_UPGRADE_TIMEOUT} passed in a running state); set, a
 *                         timed-out device is failed (kind timeout) when it next checks in
 * @param retryWaitSeconds the wait before the first retry; it doubles with every further failure, up to
 *                         {@link #MAX_WAIT_SECONDS}, and each device's wait is stretched by its own jitter
 */
public record RetryPolicy(Integer downloadRetries, Integer installRetries, Integer timeoutRetries, Integer retryWaitSeconds) {

    public static final RetryPolicy NONE = new RetryPolicy(null, null, null, null);

    /** The longest wait a backoff grows to: a day. */
    public static final int MAX_WAIT_SECONDS = 86_400;

    /** Timeouts are failures of their own (otherwise only shown as timed out). */
    public boolean timeoutsFail() {
        return timeoutRetries != null;
    }

    /** The wait after a device's {@code failures}-th failure (1 = the first), before jitter; 0 = none. */
    public int waitSeconds(int failures) {
        if (retryWaitSeconds == null || failures < 1) {
            return 0;
        }
        long wait = (long) retryWaitSeconds << Math.min(failures - 1, 30);
        return (int) Math.min(wait, MAX_WAIT_SECONDS);
    }
}
