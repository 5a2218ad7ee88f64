package io.otaedge.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otaedge.cli.http.AdminClient;
import io.otaedge.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code otactl devices list|show}: the product's devices a page at a time, and the device lookup. */
@Command(name = "devices", description = "Devices of a product.")
public final class DevicesCommand extends AdminCommand {

    @Command(name = "list", description = "The product's devices (by bucket, then id), filtered.")
    int list(@Option(names = {"-p", "--product"}, required = true, paramLabel = "PRODUCT") String productId,
             @Option(names = "--version", paramLabel = "VERSION", description = "Only devices on this version (any module).")
             String version,
             @Option(names = "--task", paramLabel = "TASK_ID", description = "Only devices offered this task.") String task,
             @Option(names = "--state", paramLabel = "STATE", description = "With --task: only devices in this state there.")
             String state,
             @Option(names = "--last-seen-before", paramLabel = "INSTANT", description = "Only devices not seen since.")
             String before,
             @Option(names = "--last-seen-after", paramLabel = "INSTANT", description = "Only devices seen since.")
             String after,
             @Mixin PageOptions page) {
        java.util.Map<String, Object> q = AdminClient.params();
        q.put("version", version);
        q.put("task", task);
        q.put("state", state);
        q.put("lastSeenBefore", before);
        q.put("lastSeenAfter", after);
        printList(page.fetch(client(), AdminClient.path("products", productId, "devices"), q), answer -> {
            Table t = task == null ? Table.of("DEVICE", "VERSION", "MODEL", "LAST_CHECK")
                    : Table.of("DEVICE", "VERSION", "MODEL", "LAST_CHECK", "TASK_STATE");
            for (JsonNode d : answer.path("items")) {
                if (task == null) {
                    t.row(d.path("deviceId"), d.path("fotaVersion"), d.path("model"), d.path("lastCheckAt"));
                } else {
                    t.row(d.path("deviceId"), d.path("fotaVersion"), d.path("model"), d.path("lastCheckAt"), d.path("taskState"));
                }
            }
            return t;
        });
        return 0;
    }

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
