package io.otaedge.control.engine;

import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.RetryPolicy;
import io.otaedge.control.task.TaskRef;
import io.otaedge.control.task.UpgradeTask;
import java.time.Clock;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Whether a device the engine would offer a task may have it again after failing in it, by its row in the task
 * (read along with the check, see {@code DeviceRepository#recordCheck}): a device whose retries are exhausted is
 * refused for good, one inside its retry wait is told when to come back, and, for a task whose
 * {@link RetryPolicy} counts timeouts, a device still running past {@code OTA_UPGRADE_TIMEOUT} has that attempt
 * failed now (kind timeout) and is judged again. Empty = offer.
 */
final class RetryHold {

    private final DeviceProgressService progress;
    private final Clock clock;

    RetryHold(DeviceProgressService progress, Clock clock) {
        this.progress = progress;
        this.clock = clock;
    }

    Mono<CheckOutcome.Refused> judge(UpgradeTask task, String deviceId, Map<String, String> row) {
        if (row.isEmpty() || !row.containsKey("state")) {
            return Mono.empty();
        }
        if (task.spec().retries().timeoutsFail()
                && progress.timedOut(task.productId(), deviceId, task.id(), TaskRef.of(task), row)) {
            return progress.timeOut(task.productId(), deviceId, task.id())
                    .then(progress.storedRow(task.productId(), deviceId, task.id()))
                    .flatMap(after -> Mono.justOrEmpty(settled(after)));
        }
        return Mono.justOrEmpty(settled(row));
    }

    /** Exhausted, waiting, or null (offer), from the row as stored. */
    private CheckOutcome.Refused settled(Map<String, String> row) {
        if (row.containsKey("exhausted")) {
            return new CheckOutcome.Refused(NoUpgradeReason.RETRIES_EXHAUSTED);
        }
        if (!DeviceTaskState.FAILED.name().equals(row.get("state"))) {
            return null;
        }
        long retryAt = parse(row.get("retryAt"));
        long left = retryAt - clock.millis();
        // The wait in the row already carries the device's jitter: the hint is the time left, rounded up.
        return left > 0 ? new CheckOutcome.Refused(NoUpgradeReason.RETRY_WAIT, false, (int) ((left + 999) / 1000)) : null;
    }

    private static long parse(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
