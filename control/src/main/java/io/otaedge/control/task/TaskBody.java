package io.otaedge.control.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the admin API's task body into a {@link TaskSpec}: JSON shapes here, values checked by
 * {@link TaskFactory}'s rules as each field is read (so the first bad field, in body order, is the one
 * named), absent or null fields at the factory's defaults.
 */
final class TaskBody {

    private static final java.util.Set<String> WINDOW_FIELDS = java.util.Set.of("cron", "duration", "zone");

    private TaskBody() {
    }

    static TaskSpec read(JsonNode body, TaskSpec d) {
        Targeting dt = d.targeting();
        RolloutPlan dr = d.rollout();
        Offer doff = d.offer();
        DeviceHints dh = d.hints();
        List<String> sourceVersions = names(body, TaskFactory.SOURCE_VERSIONS, dt.sourceVersions());
        List<String> devices = names(body, TaskFactory.DEVICES, dt.devices());
        UpgradeType type = UpgradeType.ofCode(integer(body, TaskFactory.TYPE, doff.type().code()));
        int signal = integer(body, TaskFactory.SIGNAL, dh.signal());
        int power = integer(body, TaskFactory.POWER, dh.power());
        int retry = integer(body, TaskFactory.RETRY, dh.retry());
        int interval = integer(body, TaskFactory.INTERVAL, dh.interval());
        List<MacRange> macRanges = macRanges(body, dt.macRanges());
        List<String> manufacturers = names(body, TaskFactory.MANUFACTURERS, dt.manufacturers());
        List<String> models = names(body, TaskFactory.MODELS, dt.models());
        List<Double> stages = stages(body, dr.stages());
        boolean autoAdvance = flag(body, "autoAdvance", dr.autoAdvance());
        Integer threshold = dr.failureThreshold();
        if (body.hasNonNull("failureThreshold")) {
            threshold = integer(body, TaskFactory.FAILURE_THRESHOLD, 0);
        }
        int minSample = integer(body, TaskFactory.MIN_SAMPLE, dr.minSample());
        UpgradeMode mode = mode(body, doff.mode());
        Schedule schedule = TaskFactory.checkSchedule(new Schedule(
                instant(body, "startAt", d.schedule().startAt()), instant(body, "endAt", d.schedule().endAt())));
        boolean autoAdd = flag(body, "autoAdd", dt.autoAdd());
        boolean enforce = flag(body, "enforceThresholds", dh.enforceThresholds());
        boolean deltaOnly = flag(body, "deltaOnly", doff.deltaOnly());
        boolean rollback = flag(body, "rollback", doff.rollback());
        RolloutRate dd = d.rate();
        RolloutRate rate = TaskFactory.checkRate(new RolloutRate(
                optionalInteger(body, TaskFactory.MAXIMUM_PER_MINUTE, dd.maximumPerMinute()),
                optionalInteger(body, TaskFactory.BASE_RATE_PER_MINUTE, dd.baseRatePerMinute()),
                incrementFactor(body, dd.incrementFactor()),
                optionalInteger(body, TaskFactory.INCREMENT_BY, dd.incrementBy())));
        StageSuccess ds = d.success();
        StageSuccess success = TaskFactory.checkSuccess(new StageSuccess(
                optionalInteger(body, TaskFactory.SUCCESS_THRESHOLD, ds.threshold()),
                soak(body, ds.soak()), successAction(body, ds.action())), autoAdvance);
        MaintenanceWindows windows = windows(body, d.windows());
        RetryPolicy dp = d.retries();
        RetryPolicy retries = TaskFactory.checkRetries(new RetryPolicy(
                optionalInteger(body, TaskFactory.DOWNLOAD_RETRIES, dp.downloadRetries()),
                optionalInteger(body, TaskFactory.INSTALL_RETRIES, dp.installRetries()),
                optionalInteger(body, TaskFactory.TIMEOUT_RETRIES, dp.timeoutRetries()),
                optionalInteger(body, TaskFactory.RETRY_WAIT_SECONDS, dp.retryWaitSeconds())));
        List<AbortCriterion> abort = abortCriteria(body.get("abortCriteria"), "abortCriteria", d.abortCriteria());
        AutoRollback autoRollback = autoRollback(body, d.autoRollback());
        return new TaskSpec(new Targeting(sourceVersions, devices, macRanges, manufacturers, models, autoAdd),
                new RolloutPlan(stages, autoAdvance, threshold, minSample), schedule,
                new Offer(type, mode, deltaOnly, rollback),
                new DeviceHints(signal, power, enforce, retry, interval), rate, success, windows, retries,
                abort, autoRollback, null);
    }

    private static int integer(JsonNode body, FieldRules.Ints rule, int absent) {
        JsonNode n = body.get(rule.field());
        if (n == null || n.isNull()) {
            return absent;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw rule.refusal();
        }
        return rule.check(n.asInt());
    }

    private static Integer optionalInteger(JsonNode body, FieldRules.Ints rule, Integer absent) {
        return body.hasNonNull(rule.field()) ? Integer.valueOf(integer(body, rule, 0)) : absent;
    }

    private static Duration soak(JsonNode body, Duration absent) {
        String s = text(body, TaskFactory.SUCCESS_SOAK);
        if (s == null) {
            return absent;
        }
        try {
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            throw TaskFactory.soakRefusal();
        }
    }

    private static StageSuccess.Action successAction(JsonNode body, StageSuccess.Action absent) {
        String s = text(body, "successAction");
        if (s == null) {
            return absent;
        }
        try {
            return StageSuccess.Action.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new TaskRuleViolation("successAction", "successAction must be NEXTGROUP or PAUSE");
        }
    }

    /** {@code [{"cron", "duration", "zone"}, ...]}; each refusal names the item's field, e.g. maintenanceWindows[1].zone. */
    private static MaintenanceWindows windows(JsonNode body, MaintenanceWindows absent) {
        JsonNode n = array(body, TaskFactory.MAINTENANCE_WINDOWS);
        if (n == null) {
            return absent;
        }
        List<MaintenanceWindow> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            String field = TaskFactory.MAINTENANCE_WINDOWS + "[" + i + "]";
            JsonNode w = n.get(i);
            if (!w.isObject()) {
                throw new TaskRuleViolation(field, field + " must be an object {cron, duration, zone}");
            }
            w.fieldNames().forEachRemaining(f -> {
                if (!WINDOW_FIELDS.contains(f)) {
                    throw new TaskRuleViolation(field + "." + f, field + " has an unknown field '" + f + "'");
                }
            });
            out.add(MaintenanceWindow.of(field, windowText(w, field, "cron"), windowText(w, field, "duration"),
                    windowText(w, field, "zone")));
        }
        return TaskFactory.checkWindows(new MaintenanceWindows(out));
    }

    private static String windowText(JsonNode w, String field, String name) {
        JsonNode n = w.get(name);
        if (n != null && !n.isNull() && !n.isTextual()) {
            throw new TaskRuleViolation(field + "." + name, field + "." + name + " must be a string");
        }
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Double incrementFactor(JsonNode body, Double absent) {
        JsonNode n = body.get("incrementFactor");
        if (n == null || n.isNull()) {
            return absent;
        }
        if (!n.isNumber()) {
            throw TaskFactory.incrementFactorRefusal();
        }
        return n.asDouble();
    }

    /** An array of names; numbers are taken as their text (device ids are often numeric). */
    private static List<String> names(JsonNode body, FieldRules.Names rule, List<String> absent) {
        JsonNode n = array(body, rule.field());
        if (n == null) {
            return absent;
        }
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode item : n) {
            if (!item.isTextual() && !item.isIntegralNumber()) {
                throw rule.refusal();
            }
            out.add(item.asText());
        }
        return rule.check(out);
    }

    private static List<Double> stages(JsonNode body, List<Double> absent) {
        JsonNode n = array(body, "stages");
        if (n == null || n.isEmpty()) {
            return absent;
        }
        List<Double> out = new ArrayList<>(n.size());
        for (JsonNode item : n) {
            if (!item.isNumber()) {
                throw TaskFactory.stagesRefusal();
            }
            out.add(item.asDouble());
        }
        return TaskFactory.checkStages(out);
    }

    private static List<MacRange> macRanges(JsonNode body, List<MacRange> absent) {
        JsonNode n = array(body, "macRanges");
        if (n == null) {
            return absent;
        }
        List<MacRange> out = new ArrayList<>(n.size());
        for (JsonNode item : n) {
            out.add(item.isObject() ? new MacRange(item.path("from").asText(null), item.path("to").asText(null)) : null);
        }
        return TaskFactory.checkMacRanges(out);
    }

    /** AWS's criteria objects: {failureType, action, thresholdPercentage, minNumberOfExecutedThings}, all required. */
    private static List<AbortCriterion> abortCriteria(JsonNode n, String field, List<AbortCriterion> absent) {
        if (n == null || n.isNull()) {
            return absent;
        }
        if (!n.isArray()) {
            throw FieldRules.notAnArray(field);
        }
        List<AbortCriterion> out = new ArrayList<>(n.size());
        for (JsonNode item : n) {
            if (!item.isObject()) {
                throw TaskFactory.abortRefusal("objects {failureType, action, thresholdPercentage, minNumberOfExecutedThings}");
            }
            java.util.Iterator<String> names = item.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!ABORT_FIELDS.contains(name)) {
                    throw TaskFactory.abortRefusal("only failureType, action, thresholdPercentage and "
                            + "minNumberOfExecutedThings, not '" + name + "'");
                }
            }
            AbortCriterion.FailureType type;
            try {
                type = AbortCriterion.FailureType.valueOf(item.path("failureType").asText(""));
            } catch (IllegalArgumentException e) {
                type = null;
            }
            JsonNode action = item.get("action");
            JsonNode pct = item.get("thresholdPercentage");
            JsonNode min = item.get("minNumberOfExecutedThings");
            if (action == null || !action.isTextual()) {
                throw TaskFactory.abortRefusal("action CANCEL (the only action)");
            }
            if (pct == null || !pct.isNumber()) {
                throw TaskFactory.abortRefusal("a thresholdPercentage above 0 and at most 100");
            }
            if (min == null || !min.isIntegralNumber() || !min.canConvertToInt()) {
                throw TaskFactory.abortRefusal("a minNumberOfExecutedThings of at least 1");
            }
            out.add(new AbortCriterion(type, action.asText(), pct.asDouble(), min.asInt()));
        }
        return TaskFactory.checkAbortCriteria(out);
    }

    /** {thresholdPercentage, minNumberOfExecutedThings, firmwareId, abortCriteria}: the first three required. */
    private static AutoRollback autoRollback(JsonNode body, AutoRollback absent) {
        JsonNode n = body.get("autoRollback");
        if (n == null || n.isNull()) {
            return absent;
        }
        if (!n.isObject()) {
            throw TaskFactory.rollbackRefusal("be an object {thresholdPercentage, minNumberOfExecutedThings, firmwareId, abortCriteria}");
        }
        java.util.Iterator<String> names = n.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!ROLLBACK_FIELDS.contains(name)) {
                throw TaskFactory.rollbackRefusal("hold only thresholdPercentage, minNumberOfExecutedThings, firmwareId and "
                        + "abortCriteria, not '" + name + "'");
            }
        }
        JsonNode pct = n.get("thresholdPercentage");
        JsonNode min = n.get("minNumberOfExecutedThings");
        JsonNode fw = n.get("firmwareId");
        if (pct == null || !pct.isNumber()) {
            throw TaskFactory.rollbackRefusal("have a thresholdPercentage above 0 and at most 100");
        }
        if (min == null || !min.isIntegralNumber() || !min.canConvertToInt()) {
            throw TaskFactory.rollbackRefusal("have a minNumberOfExecutedThings of at least 1");
        }
        if (fw == null || !fw.isTextual()) {
            throw TaskFactory.rollbackRefusal("name the firmwareId to roll back to");
        }
        List<AbortCriterion> criteria;
        try {
            criteria = abortCriteria(n.get("abortCriteria"), "abortCriteria", List.of());
        } catch (TaskRuleViolation e) {
            throw new TaskRuleViolation("autoRollback", "autoRollback." + e.getMessage());
        }
        return TaskFactory.checkAutoRollback(new AutoRollback(pct.asDouble(), min.asInt(), fw.asText(), criteria));
    }

    private static final java.util.Set<String> ROLLBACK_FIELDS =
            java.util.Set.of("thresholdPercentage", "minNumberOfExecutedThings", "firmwareId", "abortCriteria");

    private static final java.util.Set<String> ABORT_FIELDS =
            java.util.Set.of("failureType", "action", "thresholdPercentage", "minNumberOfExecutedThings");

    private static UpgradeMode mode(JsonNode body, UpgradeMode absent) {
        String s = text(body, "mode");
        if (s == null) {
            return absent;
        }
        try {
            return UpgradeMode.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new TaskRuleViolation("mode", "mode must be CONFIRM or COMPELLENT");
        }
    }

    /** An ISO-8601 instant; its text is normalised by the round trip through {@link Instant}. */
    private static Instant instant(JsonNode body, String field, Instant absent) {
        String s = text(body, field);
        if (s == null) {
            return absent;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new TaskRuleViolation(field, field + " must be an ISO-8601 instant such as 2026-01-31T22:00:00Z");
        }
    }

    private static boolean flag(JsonNode body, String field, boolean absent) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return absent;
        }
        if (!n.isBoolean()) {
            throw new TaskRuleViolation(field, field + " must be true or false");
        }
        return n.asBoolean();
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new TaskRuleViolation(field, field + " must be a string");
        }
        return n.asText();
    }

    /** The field's array; null when it is absent or null. */
    private static JsonNode array(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw FieldRules.notAnArray(field);
        }
        return n;
    }
}
