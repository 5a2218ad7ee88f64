package io.otaedge.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otaedge.cli.CliFailure;
import io.otaedge.cli.http.AdminClient;
import io.otaedge.cli.output.Table;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code otactl tasks create}: one option per field of the admin API's task; a field left out is not sent,
 * so the server's default applies (and the server validates, as it does for any caller).
 */
@Command(name = "create", description = "Create an upgrade task; only --firmware is required.")
public final class TaskCreateCommand extends AdminCommand implements Callable<Integer> {

    // Not required by picocli: `tasks edit` mixes these options in and has neither (checked in call()).
    @Option(names = {"-p", "--product"}, paramLabel = "PRODUCT", description = "Required.")
    String productId;

    @Option(names = "--firmware", paramLabel = "FIRMWARE_ID", description = "Required: the package to deliver.")
    String firmwareId;

    @Option(names = "--type", paramLabel = "1|2", description = "1 FOTA (default), 2 SOTA.")
    Integer type;

    @Option(names = "--source-version", split = ",", paramLabel = "VERSION",
            description = "Only devices on these versions (repeatable or comma-separated).")
    List<String> sourceVersions;

    @Option(names = "--device", split = ",", paramLabel = "DEVICE_ID",
            description = "Only these devices (repeatable or comma-separated; the test devices of a TEST package).")
    List<String> devices;

    @Option(names = "--mac-range", paramLabel = "FROM..TO", description = "Only MACs in this range (repeatable).")
    List<String> macRanges;

    @Option(names = "--manufacturer", split = ",", paramLabel = "NAME", description = "Only these manufacturers.")
    List<String> manufacturers;

    @Option(names = "--model", split = ",", paramLabel = "NAME", description = "Only these models.")
    List<String> models;

    @Option(names = "--stages", split = ",", paramLabel = "PERCENT",
            description = "Cumulative rollout percentages, increasing, e.g. 1,10,100.")
    List<Double> stages;

    @Option(names = "--auto-advance", negatable = true, description = "Move to the next stage by itself.")
    Boolean autoAdvance;

    @Option(names = "--failure-threshold", paramLabel = "PERCENT",
            description = "A stage failing more than this pauses the task.")
    Integer failureThreshold;

    @Option(names = "--min-sample", paramLabel = "N", description = "Outcomes a stage needs before the threshold applies.")
    Integer minSample;

    @Option(names = "--signal", paramLabel = "N", description = "Signal threshold handed to devices.")
    Integer signal;

    @Option(names = "--power", paramLabel = "PERCENT", description = "Battery threshold handed to devices.")
    Integer power;

    @Option(names = "--enforce-thresholds", negatable = true,
            description = "Refuse devices below --signal/--power instead of handing the thresholds over.")
    Boolean enforceThresholds;

    @Option(names = "--retry", paramLabel = "N", description = "Retries a failed device gets.")
    Integer retry;

    @Option(names = "--interval", paramLabel = "N", description = "Interval handed to devices.")
    Integer interval;

    @Option(names = "--mode", paramLabel = "MODE", description = "COMPELLENT (default) or CONFIRM.")
    String mode;

    @Option(names = "--start-at", paramLabel = "INSTANT", description = "Offer nothing before, e.g. 2030-01-01T00:00:00Z.")
    String startAt;

    @Option(names = "--end-at", paramLabel = "INSTANT", description = "Offer nothing after.")
    String endAt;

    @Option(names = "--auto-add", negatable = true,
            description = "Enrol devices that first check in after the task was created (server default: yes).")
    Boolean autoAdd;

    @Option(names = "--delta-only", negatable = true, description = "Offer differential packages only.")
    Boolean deltaOnly;

    @Option(names = "--rollback", negatable = true, description = "A deliberate downgrade.")
    Boolean rollback;

    @Option(names = "--maximum-per-minute", paramLabel = "N",
            description = "Rollout rate: at most N new devices a minute (the cap of an exponential rate).")
    Integer maximumPerMinute;

    @Option(names = "--base-rate-per-minute", paramLabel = "N", description = "Exponential rate: the starting rate a minute.")
    Integer baseRatePerMinute;

    @Option(names = "--increment-factor", paramLabel = "X", description = "Exponential rate: its factor (1.1 to 5).")
    Double incrementFactor;

    @Option(names = "--increment-by", paramLabel = "N", description = "Exponential rate: devices between two increases.")
    Integer incrementBy;

    @Option(names = "--success-threshold", paramLabel = "PERCENT",
            description = "Success criteria (hawkBit): a stage is done when this percent of its enrolled devices succeeded.")
    Integer successThreshold;

    @Option(names = "--success-soak", paramLabel = "DURATION",
            description = "How long a stage must hold its success before the action, ISO-8601 (e.g. PT30M).")
    String successSoak;

    @Option(names = "--success-action", paramLabel = "ACTION",
            description = "NEXTGROUP (start the next stage, default) or PAUSE (wait for an operator).")
    String successAction;

    @Option(names = "--maintenance-window", paramLabel = "CRON;DURATION;ZONE",
            description = "No new download starts outside these windows (repeatable), e.g. '0 2 * * *;PT3H;Europe/Berlin'.")
    List<String> maintenanceWindows;

    @Option(names = "--download-retries", paramLabel = "N",
            description = "Retry policy: offers after a download failure before the device is failed for good.")
    Integer downloadRetries;

    @Option(names = "--install-retries", paramLabel = "N",
            description = "Retry policy: offers after an install failure before the device is failed for good.")
    Integer installRetries;

    @Option(names = "--timeout-retries", paramLabel = "N",
            description = "Retry policy: fail devices past OTA_UPGRADE_TIMEOUT, and offer them again N times.")
    Integer timeoutRetries;

    @Option(names = "--retry-wait-seconds", paramLabel = "S",
            description = "Wait before a failed device is offered again; doubles per failure, jittered per device.")
    Integer retryWaitSeconds;

    @Option(names = "--abort-criterion", paramLabel = "TYPE:PERCENT:MIN",
            description = "Abort criterion (repeatable): stop the task when PERCENT % or more of its finished devices failed "
                    + "with TYPE (FAILED, REJECTED, TIMED_OUT or ALL), once at least MIN finished, e.g. FAILED:20:100.")
    List<String> abortCriteria;

    @Option(names = "--rollback-firmware", paramLabel = "FIRMWARE_ID",
            description = "Automatic rollback: the known-good package the failed devices are rolled back to (with "
                    + "--rollback-threshold and --rollback-min).")
    String rollbackFirmware;

    @Option(names = "--rollback-threshold", paramLabel = "PERCENT",
            description = "Automatic rollback: roll back when this percentage or more of the finished devices failed.")
    Double rollbackThreshold;

    @Option(names = "--rollback-min", paramLabel = "N", description = "Automatic rollback: finished devices needed first.")
    Integer rollbackMin;

    @Option(names = "--rollback-abort-criterion", paramLabel = "TYPE:PERCENT:MIN",
            description = "The rollback task's own abort criterion (repeatable), as --abort-criterion.")
    List<String> rollbackAbortCriteria;

    @Option(names = "--start", negatable = true, description = "Start at once (server default: yes); "
            + "--no-start creates it CREATED.")
    Boolean start;

    @Option(names = {"-q", "--quiet"}, description = "Print only the new task's id.")
    boolean quiet;

    @Override
    public Integer call() {
        if (productId == null || firmwareId == null) {
            throw CliFailure.usage("tasks create needs --product and --firmware");
        }
        JsonNode task = client().post(AdminClient.path("products", productId, "tasks"), body());
        if (quiet) {
            return printValue(task, "id");
        }
        printer().print(task, Table::fields);
        return 0;
    }

    /** The request body: only the fields given. */
    public ObjectNode body() {
        return bodyInto(object());
    }

    /** The fields given, into {@code b} (as a mixin, this command has no root of its own to make one from). */
    ObjectNode bodyInto(ObjectNode b) {
        b.put("firmwareId", firmwareId);
        putIfSet(b, "type", type);
        strings(b, "sourceVersions", sourceVersions);
        strings(b, "devices", devices);
        if (macRanges != null) {
            ArrayNode ranges = b.putArray("macRanges");
            for (String r : macRanges) {
                int dots = r.indexOf("..");
                if (dots < 1 || dots + 2 >= r.length()) {
                    throw CliFailure.usage("--mac-range takes FROM..TO, e.g. 00:11:22:00:00:00..00:11:22:ff:ff:ff: " + r);
                }
                ranges.addObject().put("from", r.substring(0, dots)).put("to", r.substring(dots + 2));
            }
        }
        strings(b, "manufacturers", manufacturers);
        strings(b, "models", models);
        if (stages != null) {
            ArrayNode s = b.putArray("stages");
            stages.forEach(s::add);
        }
        putIfSet(b, "autoAdvance", autoAdvance);
        putIfSet(b, "failureThreshold", failureThreshold);
        putIfSet(b, "minSample", minSample);
        putIfSet(b, "signal", signal);
        putIfSet(b, "power", power);
        putIfSet(b, "enforceThresholds", enforceThresholds);
        putIfSet(b, "retry", retry);
        putIfSet(b, "interval", interval);
        putIfSet(b, "mode", mode);
        putIfSet(b, "startAt", startAt);
        putIfSet(b, "endAt", endAt);
        putIfSet(b, "autoAdd", autoAdd);
        putIfSet(b, "deltaOnly", deltaOnly);
        putIfSet(b, "rollback", rollback);
        putIfSet(b, "maximumPerMinute", maximumPerMinute);
        putIfSet(b, "baseRatePerMinute", baseRatePerMinute);
        putIfSet(b, "incrementFactor", incrementFactor);
        putIfSet(b, "incrementBy", incrementBy);
        putIfSet(b, "successThreshold", successThreshold);
        putIfSet(b, "successSoak", successSoak);
        putIfSet(b, "successAction", successAction);
        if (maintenanceWindows != null) {
            ArrayNode windows = b.putArray("maintenanceWindows");
            for (String w : maintenanceWindows) {
                String[] parts = w.split(";", -1);
                if (parts.length != 3) {
                    throw CliFailure.usage("--maintenance-window takes CRON;DURATION;ZONE, e.g. '0 2 * * *;PT3H;Europe/Berlin': " + w);
                }
                windows.addObject().put("cron", parts[0].trim()).put("duration", parts[1].trim()).put("zone", parts[2].trim());
            }
        }
        putIfSet(b, "downloadRetries", downloadRetries);
        putIfSet(b, "installRetries", installRetries);
        putIfSet(b, "timeoutRetries", timeoutRetries);
        putIfSet(b, "retryWaitSeconds", retryWaitSeconds);
        if (abortCriteria != null) {
            ArrayNode list = b.putArray("abortCriteria");
            abortCriteria.forEach(c -> list.add(abortCriterion(c)));
        }
        if (rollbackFirmware != null || rollbackThreshold != null || rollbackMin != null || rollbackAbortCriteria != null) {
            // The server names what is missing (autoRollback needs all three).
            ObjectNode r = b.putObject("autoRollback");
            putIfSet(r, "thresholdPercentage", rollbackThreshold);
            putIfSet(r, "minNumberOfExecutedThings", rollbackMin);
            putIfSet(r, "firmwareId", rollbackFirmware);
            if (rollbackAbortCriteria != null) {
                ArrayNode list = r.putArray("abortCriteria");
                rollbackAbortCriteria.forEach(c -> list.add(abortCriterion(c)));
            }
        }
        putIfSet(b, "start", start);
        return b;
    }

    /** {@code TYPE:PERCENT:MIN} as the API's criterion object (action CANCEL, the only one). */
    private ObjectNode abortCriterion(String text) {
        String[] p = text.split(":", -1);
        try {
            if (p.length == 3) {
                return object().put("failureType", p[0]).put("action", "CANCEL")
                        .put("thresholdPercentage", Double.parseDouble(p[1])).put("minNumberOfExecutedThings", Integer.parseInt(p[2]));
            }
        } catch (NumberFormatException e) {
            // falls through to the usage error
        }
        throw CliFailure.usage("--abort-criterion takes TYPE:PERCENT:MIN, e.g. FAILED:20:100: " + text);
    }

    private static void strings(ObjectNode b, String field, List<String> values) {
        if (values != null) {
            ArrayNode a = b.putArray(field);
            values.forEach(a::add);
        }
    }

    private static void putIfSet(ObjectNode b, String field, Object value) {
        if (value instanceof Integer i) {
            b.put(field, i);
        } else if (value instanceof Double d) {
            b.put(field, d);
        } else if (value instanceof Boolean v) {
            b.put(field, v);
        } else if (value != null) {
            b.put(field, value.toString());
        }
    }
}
