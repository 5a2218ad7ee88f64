package io.otaedge.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.cli.http.AdminClient;
import io.otaedge.cli.output.Table;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code otactl tasks …}: upgrade tasks (campaigns) and their life cycle. */
@Command(name = "tasks", description = "Upgrade tasks: who gets which package, when, and how it goes.",
        subcommands = {TaskCreateCommand.class, TaskEditCommand.class, TaskWatchCommand.class})
public final class TasksCommand extends AdminCommand {

    @Command(name = "list", description = "Tasks, newest first: the product's, or every product's without --product.")
    int list(@Option(names = {"-p", "--product"}, paramLabel = "PRODUCT") String productId,
             @Option(names = "--status", paramLabel = "STATUS", description = "Only CREATED, RUNNING, PAUSED or STOPPED ones.")
             String status,
             @Mixin PageOptions page) {
        Map<String, Object> q = AdminClient.params();
        q.put("status", status);
        String path = productId == null ? AdminClient.path("tasks") : AdminClient.path("products", productId, "tasks");
        printList(page.fetch(client(), path, q), answer -> {
            Table t = Table.of("ID", "PRODUCT", "STATUS", "STAGE", "VERSION", "FIRMWARE", "CREATED");
            for (JsonNode task : answer.path("items")) {
                t.row(task.path("id"), task.path("productId"), task.path("status"), stageOf(task),
                        task.path("firmware").path("version"), task.path("firmwareId"), task.path("createdAt"));
            }
            return t;
        });
        return 0;
    }

    @Command(name = "show", description = "One task with its live status and stage.")
    int show(@Parameters(paramLabel = "TASK_ID") String taskId) {
        printer().print(client().get(AdminClient.path("tasks", taskId)), Table::fields);
        return 0;
    }

    @Command(name = "start", description = "CREATED -> RUNNING.")
    int start(@Parameters(paramLabel = "TASK_ID") String taskId) {
        return act(taskId, "start", null);
    }

    @Command(name = "pause", description = "RUNNING -> PAUSED: devices get no new offers.")
    int pause(@Parameters(paramLabel = "TASK_ID") String taskId) {
        return act(taskId, "pause", null);
    }

    @Command(name = "resume", description = "PAUSED -> RUNNING (also after an automatic pause).")
    int resume(@Parameters(paramLabel = "TASK_ID") String taskId) {
        return act(taskId, "resume", null);
    }

    @Command(name = "stop", description = "Any status -> STOPPED (final; devices are told the task was cancelled).")
    int stop(@Parameters(paramLabel = "TASK_ID") String taskId) {
        return act(taskId, "stop", null);
    }

    @Command(name = "advance", description = "Move the rollout to a later stage (default: the next).")
    int advance(@Parameters(paramLabel = "TASK_ID") String taskId,
                @Option(names = "--stage", paramLabel = "N", description = "The stage index to move to.") Integer stage) {
        return act(taskId, "advance", stage == null ? object() : object().put("stage", stage));
    }

    @Command(name = "progress", description = "Counts per state and per stage, and one row per device.")
    int progress(@Parameters(paramLabel = "TASK_ID") String taskId,
                 @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
                         description = "Device rows to list (the counts cover every device). Default: ${DEFAULT-VALUE}.")
                 int limit) {
        JsonNode answer = client().get(AdminClient.path("tasks", taskId, "progress")
                + AdminClient.query(Map.of("limit", limit)));
        if (printer().isJson()) {
            printer().json(answer);
            return 0;
        }
        var out = printer().out();
        out.println("task " + answer.path("taskId").asText() + "  " + answer.path("status").asText() + "  stage "
                + answer.path("stage").asText() + "  target " + answer.path("targetVersion").asText() + "  total "
                + answer.path("total").asText() + "  timed out " + answer.path("timedOut").asText());
        out.println();
        Table counts = Table.of("STATE", "DEVICES");
        for (Map.Entry<String, JsonNode> e : answer.path("counts").properties()) {
            counts.row(e.getKey(), e.getValue());
        }
        counts.print(out);
        if (!answer.path("stages").isEmpty()) {
            out.println();
            Table stages = Table.of("STAGE", "PERCENT", "ENROLLED", "SUCCEEDED", "FAILED", "SUCCESS_RATE");
            for (JsonNode s : answer.path("stages")) {
                stages.row(s.path("stage"), s.path("percent"), s.path("enrolled"), s.path("succeeded"), s.path("failed"),
                        s.path("successRate"));
            }
            stages.print(out);
        }
        if (!answer.path("devices").isEmpty()) {
            out.println();
            Table devices = Table.of("DEVICE", "STATE", "STEP", "ATTEMPTS", "DOWNLOADED", "TIMED_OUT", "UPDATED");
            for (JsonNode d : answer.path("devices")) {
                devices.row(d.path("deviceId"), d.path("state"), d.path("step"), d.path("attempts"),
                        d.path("downloadPercent").asText() + "%", d.path("timedOut"), d.path("updatedAt"));
            }
            devices.print(out);
        }
        return 0;
    }

    private int act(String taskId, String action, JsonNode body) {
        JsonNode task = client().post(AdminClient.path("tasks", taskId, action), body);
        printer().print(task, t -> Table.of("ID", "STATUS", "STAGE").row(t.path("id"), t.path("status"), stageOf(t)));
        return 0;
    }

    /** "1/3": the stage reached, of how many ("-" without stages). */
    static String stageOf(JsonNode task) {
        int stages = task.path("stages").size();
        return stages == 0 ? "-" : (task.path("stage").asInt() + 1) + "/" + stages;
    }
}
