package io.otaedge.control.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.otaedge.control.catalog.Firmware;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A task as JSON: one flat object, the Redis value and the admin API's task view alike. Its fields, their
 * names and order are a contract (docs/openapi.yaml, and values already stored by running deployments), so
 * they never move into the groups of {@link TaskSpec}. Times are ISO-8601 text here and {@link Instant}s
 * everywhere else. Fields a record written by an older version lacks take the meaning they had then.
 *
 * @param stages  empty or absent = [100]
 * @param mode    absent = COMPELLENT
 * @param autoAdd absent = true
 * @param maximumPerMinute absent (with the exponential fields) = no rollout rate, see {@link RolloutRate}
 * @param successThreshold absent (with successSoak, successAction) = no success criteria, see {@link StageSuccess}
 * @param successSoak      ISO-8601 duration; absent = none
 * @param maintenanceWindows absent or empty = always open, see {@link MaintenanceWindows}
 * @param downloadRetries  absent (with the other retry fields) = no retry policy beyond {@code retry}, see {@link RetryPolicy}
 * @param abortCriteria absent = never aborted, see {@link AbortCriterion}
 * @param autoRollback  absent = no automatic rollback, see {@link AutoRollback}
 * @param rollbackOf    the task this one rolls back (absent on every other task)
 */
public record TaskJson(String id, String productId, String firmwareId, int type, List<String> sourceVersions,
                       List<String> devices, int signal, int power, int retry, int interval,
                       TaskStatus status, String createdAt, Firmware firmware,
                       List<MacRange> macRanges, List<String> manufacturers, List<String> models,
                       List<Double> stages, int stage, boolean autoAdvance, Integer failureThreshold, int minSample,
                       UpgradeMode mode, String startAt, String endAt, Boolean autoAdd,
                       boolean enforceThresholds, boolean deltaOnly, boolean rollback,
                       Integer maximumPerMinute, Integer baseRatePerMinute, Double incrementFactor, Integer incrementBy,
                       Integer successThreshold, String successSoak, StageSuccess.Action successAction,
                       List<MaintenanceWindow> maintenanceWindows,
                       Integer downloadRetries, Integer installRetries, Integer timeoutRetries, Integer retryWaitSeconds,
                       List<AbortCriterion> abortCriteria, AutoRollback autoRollback, String rollbackOf) {

    @JsonCreator
    public TaskJson {
    }

    static TaskJson of(UpgradeTask t) {
        TaskSpec s = t.spec();
        Targeting who = s.targeting();
        RolloutPlan plan = s.rollout();
        DeviceHints hints = s.hints();
        Offer offer = s.offer();
        return new TaskJson(t.id(), t.productId(), t.firmwareId(), offer.type().code(), who.sourceVersions(),
                who.devices(), hints.signal(), hints.power(), hints.retry(), hints.interval(),
                t.status(), text(t.createdAt()), t.firmware(),
                who.macRanges(), who.manufacturers(), who.models(),
                plan.stages(), t.stage(), plan.autoAdvance(), plan.failureThreshold(), plan.minSample(),
                offer.mode(), text(s.schedule().startAt()), text(s.schedule().endAt()), who.autoAdd(),
                hints.enforceThresholds(), offer.deltaOnly(), offer.rollback(),
                s.rate().maximumPerMinute(), s.rate().baseRatePerMinute(), s.rate().incrementFactor(), s.rate().incrementBy(),
                s.success().threshold(), s.success().soak() == null ? null : s.success().soak().toString(),
                s.success().action(), s.windows().any() ? s.windows().windows() : null,
                s.retries().downloadRetries(), s.retries().installRetries(), s.retries().timeoutRetries(),
                s.retries().retryWaitSeconds(),
                s.abortCriteria().isEmpty() ? null : s.abortCriteria(), s.autoRollback(), s.rollbackOf());
    }

    UpgradeTask toTask() {
        TaskSpec spec = new TaskSpec(
                new Targeting(sourceVersions, devices, macRanges, manufacturers, models, autoAdd == null || autoAdd),
                new RolloutPlan(stages, autoAdvance, failureThreshold, minSample),
                new Schedule(instant(startAt), instant(endAt)),
                new Offer(UpgradeType.ofCode(type), mode, deltaOnly, rollback),
                new DeviceHints(signal, power, enforceThresholds, retry, interval),
                new RolloutRate(maximumPerMinute, baseRatePerMinute, incrementFactor, incrementBy),
                new StageSuccess(successThreshold, successSoak == null ? null : Duration.parse(successSoak), successAction),
                new MaintenanceWindows(maintenanceWindows),
                new RetryPolicy(downloadRetries, installRetries, timeoutRetries, retryWaitSeconds),
                abortCriteria, autoRollback, rollbackOf);
        return new UpgradeTask(id, productId, firmwareId, status, stage, instant(createdAt), firmware, spec);
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }
}
