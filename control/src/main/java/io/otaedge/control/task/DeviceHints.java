package io.otaedge.control.task;

/**
 * The conditions handed to devices with an offer (OneNET's check reply carries them), and whether the
 * engine itself enforces the thresholds.
 *
 * @param signal            the weakest signal a device should upgrade on
 * @param power             the lowest battery percentage a device should upgrade on
 * @param enforceThresholds refuse devices reporting less than {@code signal}/{@code power} (otherwise only handed to them)
 * @param retry             how often a device may retry a failed upgrade
 * @param interval          seconds between a device's retries
 */
public record DeviceHints(int signal, int power, boolean enforceThresholds, int retry, int interval) {
}
