package io.otaedge.control.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.otaedge.control.engine.NoUpgradeReason;
import io.otaedge.control.task.AbortCriterion;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The control service's product meters ({@code ota_control_*}, see docs/METRICS.md). Tagged
 * meters are registered once and handed out as small objects ({@link DialectMeters},
 * {@link HttpStatusMeter}) that callers keep, so requests only increment.
 */
public final class ControlMetrics {

    /**
     * How an admin firmware upload ended, as the {@code result} tag: stored; refused as too large (413); refused
     * for another mistake of the caller's (any other 4xx: no version, a bad name, a version already there, an
     * unknown product); or failed on our side (5xx: the disk, Redis), the only one an operator must act on.
     */
    public enum Upload {
        OK, TOO_LARGE, REJECTED, ERROR;

        final String tag = name().toLowerCase(java.util.Locale.ROOT);

        /** The result of an upload that failed with {@code status} (0: not an HTTP answer, a failure of ours). */
        public static Upload ofFailure(int status) {
            if (status == 413) {
                return TOO_LARGE;
            }
            return status >= 400 && status < 500 ? REJECTED : ERROR;
        }
    }

    private final MeterRegistry registry;
    private final Map<String, DialectMeters> dialects = new ConcurrentHashMap<>();
    private final Counter tokensIssued;
    private final Counter redisErrors;
    private final Counter heldByRate;
    private final Counter heldByWindow;
    private final Counter heldForRetryWait;
    private final Counter heldRetriesExhausted;
    private final Counter auditWriteFailures;
    private final Counter[] uploads = new Counter[Upload.values().length];
    private final Counter[] aborts = new Counter[AbortCriterion.FailureType.values().length];
    private final Counter rollbacks;

    public ControlMetrics(MeterRegistry registry) {
        this.registry = registry;
        tokensIssued = Counter.builder("ota.control.tokens.issued")
                .description("new download tokens (reused ones are not counted)").register(registry);
        redisErrors = Counter.builder("ota.control.redis.errors").description("failed Redis commands").register(registry);
        heldByRate = Counter.builder("ota.control.offers.held")
                .description("device checks a task applied to but that were told to come back later").tag("reason", "rate")
                .register(registry);
        heldByWindow = Counter.builder("ota.control.offers.held")
                .description("device checks a task applied to but that were told to come back later").tag("reason", "window")
                .register(registry);
        heldForRetryWait = Counter.builder("ota.control.offers.held")
                .description("device checks a task applied to but that were told to come back later").tag("reason", "retry_wait")
                .register(registry);
        heldRetriesExhausted = Counter.builder("ota.control.offers.held")
                .description("device checks a task applied to but that were told to come back later")
                .tag("reason", "retries_exhausted").register(registry);
        auditWriteFailures = Counter.builder("ota.control.audit.write.failures")
                .description("audit trail entries Redis did not take (the admin write itself went through)").register(registry);
        for (Upload u : Upload.values()) {
            uploads[u.ordinal()] = Counter.builder("ota.control.firmware.uploads").description("admin firmware uploads")
                    .tag("result", u.tag).register(registry);
        }
        for (AbortCriterion.FailureType t : AbortCriterion.FailureType.values()) {
            aborts[t.ordinal()] = Counter.builder("ota.control.task.aborts")
                    .description("tasks stopped by their abort criteria, by the criterion's failure type")
                    .tag("reason", t.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
        }
        rollbacks = Counter.builder("ota.control.task.rollbacks")
                .description("rollback tasks created automatically for the failed devices of a task").register(registry);
    }

    /** Meters that go nowhere, for servers built without a registry. */
    public static ControlMetrics unregistered() {
        return new ControlMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * The check and progress meters of one dialect, registered on first use; each dialect looks them up once, when
     * it is built (all at the service's start, so dashboards see zeros, not gaps).
     */
    public DialectMeters dialect(String name) {
        return dialects.computeIfAbsent(name, n -> new DialectMeters(registry, n, redisErrors));
    }

    /** Counts the {@code status} of every response on one port ({@code device} or {@code admin}). */
    public HttpStatusMeter httpStatus(String port) {
        return new HttpStatusMeter(registry, port);
    }

    public void tokenIssued() {
        tokensIssued.increment();
    }

    /** A check held back by a task's rollout rate. */
    public void offerHeldByRate() {
        heldByRate.increment();
    }

    /** A check held back because none of the task's maintenance windows was open. */
    public void offerHeldByWindow() {
        heldByWindow.increment();
    }

    /** A check refused by a task's retry policy: inside the device's retry wait, or its retries exhausted. */
    public void offerHeldForRetry(NoUpgradeReason reason) {
        (reason == NoUpgradeReason.RETRY_WAIT ? heldForRetryWait : heldRetriesExhausted).increment();
    }

    /** A task this control stopped on an abort criterion of {@code type}. */
    public void taskAborted(AbortCriterion.FailureType type) {
        aborts[type.ordinal()].increment();
    }

    /** A rollback task this control created automatically. */
    public void taskRolledBack() {
        rollbacks.increment();
    }

    public void redisError() {
        redisErrors.increment();
    }

    /** An audit entry that could not be written. */
    public void auditWriteFailed() {
        auditWriteFailures.increment();
    }

    public void upload(Upload result) {
        uploads[result.ordinal()].increment();
    }
}
