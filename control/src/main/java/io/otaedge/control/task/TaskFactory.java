package io.otaedge.control.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.catalog.FirmwareStatus;
import io.otaedge.control.catalog.Names;
import io.otaedge.control.redis.Ids;
import io.otaedge.control.version.FirmwareVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one maker of tasks: every default and every rule a task must meet, whoever asks for it (the admin API,
 * MXCHIP FOG's files). Pure: callers look the firmware up themselves, then {@link #create} checks the spec
 * against it. A refusal is a {@link TaskRuleViolation}, which each caller words in its own dialect.
 */
public final class TaskFactory {

    public static final int DEFAULT_RETRY = 3;
    public static final int DEFAULT_INTERVAL = 60;
    public static final int DEFAULT_MIN_SAMPLE = 10;
    public static final double STAGE_ABOVE = 0;
    public static final double STAGE_AT_MOST = 100;

    static final FieldRules.Ints TYPE = new FieldRules.Ints("type", 1, 2);
    static final FieldRules.Ints SIGNAL = new FieldRules.Ints("signal", Integer.MIN_VALUE, Integer.MAX_VALUE);
    static final FieldRules.Ints POWER = new FieldRules.Ints("power", 0, 100);
    static final FieldRules.Ints RETRY = new FieldRules.Ints("retry", 0, Integer.MAX_VALUE);
    static final FieldRules.Ints INTERVAL = new FieldRules.Ints("interval", 0, Integer.MAX_VALUE);
    static final FieldRules.Ints FAILURE_THRESHOLD = new FieldRules.Ints("failureThreshold", 0, 100);
    static final FieldRules.Ints MIN_SAMPLE = new FieldRules.Ints("minSample", 1, Integer.MAX_VALUE);
    static final FieldRules.Ints MAXIMUM_PER_MINUTE = new FieldRules.Ints("maximumPerMinute", 1, 1_000_000);
    static final FieldRules.Ints BASE_RATE_PER_MINUTE = new FieldRules.Ints("baseRatePerMinute", 1, 1_000_000);
    static final FieldRules.Ints INCREMENT_BY = new FieldRules.Ints("incrementBy", 1, Integer.MAX_VALUE);
    static final FieldRules.Ints SUCCESS_THRESHOLD = new FieldRules.Ints("successThreshold", 1, 100);
    static final String SUCCESS_SOAK = "successSoak";
    static final Duration LONGEST_SOAK = Duration.ofDays(30);
    static final String MAINTENANCE_WINDOWS = "maintenanceWindows";
    static final int MAX_WINDOWS = 16;
    /** AWS IoT Jobs allows up to 10 retries per criterion; a fleet of NB-IoT devices may need more, within reason. */
    static final FieldRules.Ints DOWNLOAD_RETRIES = new FieldRules.Ints("downloadRetries", 0, 1000);
    static final FieldRules.Ints INSTALL_RETRIES = new FieldRules.Ints("installRetries", 0, 1000);
    static final FieldRules.Ints TIMEOUT_RETRIES = new FieldRules.Ints("timeoutRetries", 0, 1000);
    static final FieldRules.Ints RETRY_WAIT_SECONDS = new FieldRules.Ints("retryWaitSeconds", 1, RetryPolicy.MAX_WAIT_SECONDS);
    /** AWS IoT Jobs accepts 1.1 to 5 with one decimal; any factor in that range is taken here. */
    static final double INCREMENT_FACTOR_MIN = 1.1;
    static final double INCREMENT_FACTOR_MAX = 5;
    static final FieldRules.Names SOURCE_VERSIONS = new FieldRules.Names("sourceVersions", Names::isVersion,
            "versions matching [A-Za-z0-9_.-]{1,20}");
    static final FieldRules.Names DEVICES = new FieldRules.Names("devices", Names::isDeviceId,
            "device ids matching [A-Za-z0-9_.:-]{1,64}");
    static final FieldRules.Names MANUFACTURERS = new FieldRules.Names("manufacturers", TaskFactory::isMakeName,
            "names of 1 to 64 characters");
    static final FieldRules.Names MODELS = new FieldRules.Names("models", TaskFactory::isMakeName,
            "names of 1 to 64 characters");

    private final Clock clock;
    private final Supplier<String> ids;

    public TaskFactory(Clock clock) {
        this(clock, () -> Ids.next("task"));
    }

    TaskFactory(Clock clock, Supplier<String> ids) {
        this.clock = clock;
        this.ids = ids;
    }

    /**
     * What a task is when nothing else is asked: every device, from any version, new ones enrolled; one stage
     * of 100 %, no auto-pause; always; forced FOTA, full packages allowed, upgrades only; no thresholds
     * enforced, retry 3 times a minute apart.
     */
    public TaskSpec defaults() {
        return new TaskSpec(Targeting.EVERY_DEVICE,
                new RolloutPlan(List.of(STAGE_AT_MOST), false, null, DEFAULT_MIN_SAMPLE),
                Schedule.ALWAYS,
                new Offer(UpgradeType.FOTA, UpgradeMode.COMPELLENT, false, false),
                new DeviceHints(0, 0, false, DEFAULT_RETRY, DEFAULT_INTERVAL));
    }

    /** The spec the admin API's task body asks for (docs/openapi.yaml), absent fields at their defaults. */
    public TaskSpec read(JsonNode body) {
        return TaskBody.read(body, defaults());
    }

    /**
     * A new task of {@code fw} in {@code productId}, at stage 0, created now, after every rule: the spec's
     * fields, then the firmware (in the product, not INVALID, and not older than a source version unless the
     * task is a rollback).
     */
    public UpgradeTask create(String productId, Firmware fw, TaskSpec spec, TaskStatus status) {
        check(spec);
        if (!fw.productId().equals(productId)) {
            throw new TaskRuleViolation("firmwareId", "no firmware '" + fw.id() + "' in product '" + productId + "'");
        }
        if (fw.status() == FirmwareStatus.INVALID) {
            throw new TaskRuleViolation("firmwareId", "firmware '" + fw.id() + "' is INVALID");
        }
        checkDirection(spec, fw);
        checkWindowsStartAgain(spec);
        return new UpgradeTask(ids.get(), productId, fw.id(), status, 0, clock.instant(), fw, spec);
    }

    /**
     * {@code current} with {@code patch} applied: a JSON merge patch of the create body's fields over the task's
     * request form ({@link TaskEdit}), read and checked as a create body is, then against the task's firmware and
     * the stage it is at. Identity, product, firmware, status, stage and creation time stay.
     */
    public UpgradeTask edit(UpgradeTask current, JsonNode patch) {
        TaskSpec spec = TaskEdit.spec(current, patch, defaults());
        check(spec);
        checkDirection(spec, current.firmware());
        checkWindowsStartAgain(spec);
        if (current.stage() >= spec.rollout().stages().size()) {
            throw new TaskRuleViolation("stages", "stages must keep the stage the task is at: it is at stage "
                    + current.stage() + " (counted from 0)");
        }
        return new UpgradeTask(current.id(), current.productId(), current.firmwareId(), current.status(), current.stage(),
                current.createdAt(), current.firmware(), spec);
    }

    /** Every maintenance window opens again some time from now (a cron such as Feb 30th never does). */
    private void checkWindowsStartAgain(TaskSpec spec) {
        List<MaintenanceWindow> windows = spec.windows().windows();
        for (int i = 0; i < windows.size(); i++) {
            if (windows.get(i).nextStart(clock.instant()).isEmpty()) {
                String field = MAINTENANCE_WINDOWS + "[" + i + "].cron";
                throw new TaskRuleViolation(field, field + " never starts again");
            }
        }
    }

    /** No source version newer than the target unless the task says it is a rollback. */
    private static void checkDirection(TaskSpec spec, Firmware fw) {
        if (!spec.offer().rollback()) {
            downgradeSource(spec.targeting().sourceVersions(), fw.version()).ifPresent(v -> {
                throw new TaskRuleViolation("sourceVersions", "sourceVersions names " + v + ", newer than the target "
                        + fw.version() + ": a downgrade needs \"rollback\": true");
            });
        }
    }

    /** Every field rule; the first broken one is thrown. */
    static void check(TaskSpec spec) {
        Targeting who = spec.targeting();
        SOURCE_VERSIONS.check(who.sourceVersions());
        DEVICES.check(who.devices());
        if (spec.offer().type() == null) {
            throw TYPE.refusal();
        }
        DeviceHints hints = spec.hints();
        SIGNAL.check(hints.signal());
        POWER.check(hints.power());
        RETRY.check(hints.retry());
        INTERVAL.check(hints.interval());
        checkMacRanges(who.macRanges());
        MANUFACTURERS.check(who.manufacturers());
        MODELS.check(who.models());
        RolloutPlan plan = spec.rollout();
        checkStages(plan.stages());
        if (plan.failureThreshold() != null) {
            FAILURE_THRESHOLD.check(plan.failureThreshold());
        }
        MIN_SAMPLE.check(plan.minSample());
        checkSchedule(spec.schedule());
        checkRate(spec.rate());
        checkSuccess(spec.success(), plan.autoAdvance());
        checkWindows(spec.windows());
        checkRetries(spec.retries());
        checkAbortCriteria(spec.abortCriteria());
        if (spec.autoRollback() != null) {
            checkAutoRollback(spec.autoRollback());
        }
    }

    /**
     * The success criteria: a threshold from 1 to 100, a soak from PT0S to {@link #LONGEST_SOAK}; the soak and
     * the action need the threshold, and the threshold replaces autoAdvance (two rules for one move would disagree).
     */
    static StageSuccess checkSuccess(StageSuccess s, boolean autoAdvance) {
        if (s.threshold() == null) {
            if (s.soak() != null || s.action() != null) {
                throw new TaskRuleViolation("successThreshold", "successSoak and successAction need successThreshold");
            }
            return s;
        }
        SUCCESS_THRESHOLD.check(s.threshold());
        if (s.soak() != null && (s.soak().isNegative() || s.soak().compareTo(LONGEST_SOAK) > 0)) {
            throw soakRefusal();
        }
        if (autoAdvance) {
            throw new TaskRuleViolation("successThreshold", "successThreshold replaces autoAdvance: set one of them");
        }
        return s;
    }

    static TaskRuleViolation soakRefusal() {
        return new TaskRuleViolation(SUCCESS_SOAK, SUCCESS_SOAK + " must be an ISO-8601 duration from PT0S to "
                + LONGEST_SOAK + ", such as PT30M");
    }

    /** At most {@link #MAX_WINDOWS} windows (each one checked as it was read, {@link MaintenanceWindow#of}). */
    static MaintenanceWindows checkWindows(MaintenanceWindows w) {
        if (w.windows().size() > MAX_WINDOWS) {
            throw new TaskRuleViolation(MAINTENANCE_WINDOWS, MAINTENANCE_WINDOWS + " must hold at most " + MAX_WINDOWS + " windows");
        }
        return w;
    }

    /** Each retry field, when set, in its range. */
    static RetryPolicy checkRetries(RetryPolicy p) {
        checkIfSet(DOWNLOAD_RETRIES, p.downloadRetries());
        checkIfSet(INSTALL_RETRIES, p.installRetries());
        checkIfSet(TIMEOUT_RETRIES, p.timeoutRetries());
        checkIfSet(RETRY_WAIT_SECONDS, p.retryWaitSeconds());
        return p;
    }

    private static void checkIfSet(FieldRules.Ints rule, Integer value) {
        if (value != null) {
            rule.check(value);
        }
    }

    /** A rollback threshold above 0 and at most 100, at least one finished device, a firmware named, valid criteria. */
    static AutoRollback checkAutoRollback(AutoRollback r) {
        if (!(r.thresholdPercentage() > 0 && r.thresholdPercentage() <= 100)) {
            throw rollbackRefusal("have a thresholdPercentage above 0 and at most 100");
        }
        if (r.minNumberOfExecutedThings() < 1) {
            throw rollbackRefusal("have a minNumberOfExecutedThings of at least 1");
        }
        if (r.firmwareId() == null || r.firmwareId().isBlank() || r.firmwareId().length() > 64) {
            throw rollbackRefusal("name the firmwareId to roll back to");
        }
        try {
            checkAbortCriteria(r.abortCriteria());
        } catch (TaskRuleViolation e) {
            throw new TaskRuleViolation("autoRollback", "autoRollback." + e.getMessage());
        }
        return r;
    }

    static TaskRuleViolation rollbackRefusal(String what) {
        return new TaskRuleViolation("autoRollback", "autoRollback must " + what);
    }

    /** At most this many abort criteria per task. */
    static final int MAX_ABORT_CRITERIA = 8;

    /**
     * AWS's rules for a criterion: every field given, action CANCEL, a percentage above 0 and at most 100 (AWS
     * allows 0, which would abort at the minimum with no failure at all), at least one executed device.
     */
    static List<AbortCriterion> checkAbortCriteria(List<AbortCriterion> criteria) {
        if (criteria.size() > MAX_ABORT_CRITERIA) {
            throw abortRefusal("at most " + MAX_ABORT_CRITERIA + " criteria");
        }
        for (AbortCriterion c : criteria) {
            if (c == null || c.failureType() == null) {
                throw abortRefusal("a failureType of FAILED, REJECTED, TIMED_OUT or ALL in every criterion");
            }
            if (!AbortCriterion.CANCEL.equals(c.action())) {
                throw abortRefusal("action CANCEL (the only action)");
            }
            if (!(c.thresholdPercentage() > 0 && c.thresholdPercentage() <= 100)) {
                throw abortRefusal("a thresholdPercentage above 0 and at most 100");
            }
            if (c.minNumberOfExecutedThings() < 1) {
                throw abortRefusal("a minNumberOfExecutedThings of at least 1");
            }
        }
        return criteria;
    }

    static TaskRuleViolation abortRefusal(String what) {
        return new TaskRuleViolation("abortCriteria", "abortCriteria must hold " + what);
    }

    /** Each rate field in its range; the exponential rate needs its three fields together. */
    static RolloutRate checkRate(RolloutRate r) {
        if (r.maximumPerMinute() != null) {
            MAXIMUM_PER_MINUTE.check(r.maximumPerMinute());
        }
        boolean any = r.baseRatePerMinute() != null || r.incrementFactor() != null || r.incrementBy() != null;
        if (!any) {
            return r;
        }
        if (r.baseRatePerMinute() == null) {
            throw exponentialRefusal("baseRatePerMinute");
        }
        BASE_RATE_PER_MINUTE.check(r.baseRatePerMinute());
        if (r.incrementFactor() == null) {
            throw exponentialRefusal("incrementFactor");
        }
        if (!(r.incrementFactor() >= INCREMENT_FACTOR_MIN && r.incrementFactor() <= INCREMENT_FACTOR_MAX)) {
            throw incrementFactorRefusal();
        }
        if (r.incrementBy() == null) {
            throw exponentialRefusal("incrementBy");
        }
        INCREMENT_BY.check(r.incrementBy());
        if (r.maximumPerMinute() != null && r.maximumPerMinute() < r.baseRatePerMinute()) {
            throw new TaskRuleViolation("maximumPerMinute", "maximumPerMinute must be at least baseRatePerMinute");
        }
        return r;
    }

    private static TaskRuleViolation exponentialRefusal(String missing) {
        return new TaskRuleViolation(missing, "an exponential rate needs baseRatePerMinute, incrementFactor and "
                + "incrementBy together: " + missing + " is missing");
    }

    static TaskRuleViolation incrementFactorRefusal() {
        return new TaskRuleViolation("incrementFactor", "incrementFactor must be a number from "
                + INCREMENT_FACTOR_MIN + " to " + INCREMENT_FACTOR_MAX);
    }

    static List<MacRange> checkMacRanges(List<MacRange> ranges) {
        if (!ranges.stream().allMatch(r -> r != null && r.valid())) {
            throw new TaskRuleViolation("macRanges", "macRanges must hold {from, to} MAC addresses with from <= to");
        }
        return ranges;
    }

    /** Cumulative percentages: strictly increasing, each above 0 and at most 100. */
    static List<Double> checkStages(List<Double> stages) {
        double last = STAGE_ABOVE;
        for (double v : stages) {
            if (!(v > last) || v > STAGE_AT_MOST) {
                throw stagesRefusal();
            }
            last = v;
        }
        return stages;
    }

    static TaskRuleViolation stagesRefusal() {
        return new TaskRuleViolation("stages", "stages must be increasing numbers above " + STAGE_ABOVE
                + " and at most " + STAGE_AT_MOST);
    }

    static Schedule checkSchedule(Schedule s) {
        if (s.startAt() != null && s.endAt() != null && !s.startAt().isBefore(s.endAt())) {
            throw new TaskRuleViolation("startAt", "startAt must be before endAt");
        }
        return s;
    }

    /** A source version the target would downgrade, if any: such a task must say it is a rollback. */
    static Optional<String> downgradeSource(List<String> sourceVersions, String target) {
        return sourceVersions.stream()
                .filter(v -> FirmwareVersion.relation(v, target) == FirmwareVersion.Relation.NEWER).findFirst();
    }

    private static boolean isMakeName(String s) {
        return !s.isBlank() && s.length() <= 64;
    }
}
