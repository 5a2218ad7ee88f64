package io.otaedge.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otaedge.cli.Otactl;
import io.otaedge.cli.http.AdminClient;
import io.otaedge.cli.output.Printer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command reaches through the root: the admin client, the printer, the JSON mapper. */
abstract class AdminCommand {

    @Spec
    CommandSpec spec;

    Otactl root() {
        return (Otactl) spec.root().userObject();
    }

    AdminClient client() {
        return root().client();
    }

    Printer printer() {
        return root().printer();
    }

    ObjectNode object() {
        return root().json().createObjectNode();
    }

    /** A list's table, then (in table output) where the next page starts, if there is one. */
    void printList(JsonNode answer, java.util.function.Function<JsonNode, io.otaedge.cli.output.Table> asTable) {
        printer().print(answer, asTable);
        JsonNode next = answer.path("nextCursor");
        if (!printer().isJson() && next.isTextual()) {
            printer().out().println();
            printer().out().println("more: --cursor " + next.asText());
            printer().out().flush();
        }
    }

    /** {@code -q}: the one value a script wants, on a line of its own. */
    int printValue(JsonNode answer, String field) {
        printer().out().println(answer.path(field).asText());
        printer().out().flush();
        return 0;
    }
}
