package io.otaedge.control.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** One dialect's {@code ota_control_checks_total} (by outcome) and {@code ota_control_progress_reports_total}. */
public final class DialectMeters {

    /** How a device check ended, as the {@code outcome} tag. */
    public enum Outcome {
        /** an upgrade was offered (with a token) */
        UPGRADE,
        /** no task for this device */
        NO_TASK,
        /** authentication failed or the request was malformed */
        REJECTED,
        /** the service failed (Redis unavailable, a bug) */
        ERROR;

        final String tag = name().toLowerCase(java.util.Locale.ROOT);
    }

    private final Counter[] checks = new Counter[Outcome.values().length];
    private final Counter progressReports;
    private final Counter redisErrors;

    DialectMeters(MeterRegistry registry, String dialect, Counter redisErrors) {
        this.redisErrors = redisErrors;
        for (Outcome o : Outcome.values()) {
            checks[o.ordinal()] = Counter.builder("ota.control.checks").description("device check calls")
                    .tag("dialect", dialect).tag("outcome", o.tag).register(registry);
        }
        progressReports = Counter.builder("ota.control.progress.reports")
                .description("progress/state reports from devices").tag("dialect", dialect).register(registry);
    }

    public void check(Outcome outcome) {
        checks[outcome.ordinal()].increment();
    }

    public void progressReport() {
        progressReports.increment();
    }

    /** A Redis command failed while serving this dialect (counted in {@code ota_control_redis_errors_total}). */
    public void redisError() {
        redisErrors.increment();
    }
}
