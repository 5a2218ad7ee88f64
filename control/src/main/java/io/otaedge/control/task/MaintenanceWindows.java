package io.otaedge.control.task;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The recurring windows outside which a task starts no new download (Azure Device Update / Mender / AWS IoT
 * maintenance windows). A device already offered keeps its token and may finish; one not yet enrolled is told to
 * come back at the next start. No windows = always open.
 */
public record MaintenanceWindows(List<MaintenanceWindow> windows) {

    public static final MaintenanceWindows ALWAYS = new MaintenanceWindows(List.of());
    /** The longest come-back hint: a device is never told to stay away longer than a day. */
    public static final Duration RETRY_CAP = Duration.ofDays(1);

    public MaintenanceWindows {
        windows = windows == null ? List.of() : List.copyOf(windows);
    }

    public boolean any() {
        return !windows.isEmpty();
    }

    /** True when no window is set or one is open at {@code now}. */
    public boolean openAt(Instant now) {
        return !any() || windows.stream().anyMatch(w -> w.openSince(now).isPresent());
    }

    /** The earliest start of any window after {@code now}. */
    public Optional<Instant> nextStart(Instant now) {
        return windows.stream().map(w -> w.nextStart(now)).flatMap(Optional::stream).min(Instant::compareTo);
    }

    /**
     * The come-back hint for a device held at {@code now}: whole seconds to the next window start (at least 1),
     * capped at {@link #RETRY_CAP}. The one place this hint is computed (a jitter, if any, is added by the caller).
     */
    public int retryAfterSeconds(Instant now) {
        long cap = RETRY_CAP.toSeconds();
        long seconds = nextStart(now)
                .map(next -> Math.min(cap, Math.max(1, (Duration.between(now, next).toMillis() + 999) / 1000)))
                .orElse(cap);
        return (int) seconds;
    }
}
