package io.otaedge.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otaedge.cli.http.AdminClient;
import io.otaedge.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code otactl devices show}: the device lookup (the admin API lists no devices yet). */
@Command(name = "devices", description = "Devices of a product.")
public final class DevicesCommand extends AdminCommand {

    @Command(name = "show", description = "What a device last reported, and every task it was offered.")
    int show(@Option(names = {"-p", "--product"}, required = true, paramLabel = "PRODUCT") String productId,
             @Parameters(paramLabel = "DEVICE_ID") String deviceId) {
        JsonNode answer = client().get(AdminClient.path("products", productId, "devices", deviceId));
        if (printer().isJson()) {
            printer().json(answer);
            return 0;
        }
        ObjectNode device = answer.deepCopy();
        device.remove("tasks");
        Table.fields(device).print(printer().out());
        if (!answer.path("tasks").isEmpty()) {
            printer().out().println();
            Table tasks = Table.of("TASK", "STATE", "STEP", "FROM", "TARGET", "PACKAGE", "ATTEMPTS", "TIMED_OUT", "UPDATED");
            for (JsonNode t : answer.path("tasks")) {
                tasks.row(t.path("taskId"), t.path("state"), t.path("step"), t.path("fromVersion"), t.path("targetVersion"),
                        t.path("packageType"), t.path("attempts"), t.path("timedOut"), t.path("updatedAt"));
            }
            tasks.print(printer().out());
        }
        return 0;
    }
}
