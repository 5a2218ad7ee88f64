package io.otaedge.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otaedge.cli.CliFailure;
import io.otaedge.cli.http.AdminClient;
import io.otaedge.cli.output.Table;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code otactl tasks edit TASK_ID --<field> …}: the options of {@code tasks create} (mixed in, so a field added
 * there is editable here), sent as a merge patch: only the fields given change, the server validates as on create.
 */
@Command(name = "edit", description = "Change a task's targeting, rollout, schedule or hints; only the options given change.")
public final class TaskEditCommand extends AdminCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TASK_ID")
    String taskId;

    @Mixin
    TaskCreateCommand fields;

    @Override
    public Integer call() {
        JsonNode task = client().patch(AdminClient.path("tasks", taskId), patch());
        if (fields.quiet) {
            return printValue(task, "id");
        }
        printer().print(task, Table::fields);
        return 0;
    }

    /** The patch: the create body of the options given, without what an edit cannot change. */
    public ObjectNode patch() {
        if (fields.productId != null || fields.firmwareId != null || fields.start != null) {
            throw CliFailure.usage("an edit cannot change --product, --firmware or --start (create a new task instead)");
        }
        ObjectNode body = fields.bodyInto(object());
        body.remove("firmwareId");
        if (body.isEmpty()) {
            throw CliFailure.usage("name at least one option to change, e.g. --device or --maximum-per-minute");
        }
        return body;
    }
}
