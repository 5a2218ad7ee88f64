package io.otaedge.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.cli.http.AdminClient;
import io.otaedge.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code otactl products list|create|show|archive|unarchive|delete}. */
@Command(name = "products", description = "Products: a fleet of one device kind, with its own keys and catalog.")
public final class ProductsCommand extends AdminCommand {

    /** Which products {@code list} shows. */
    enum Shown {
        active, archived, all
    }

    @Command(name = "list", description = "The products, by id, a page at a time (active ones unless --status says otherwise).")
    int list(@Mixin PageOptions page,
             @Option(names = "--status", paramLabel = "STATUS", defaultValue = "active",
                     description = "active (default), archived or all.") Shown status) {
        java.util.Map<String, Object> q = AdminClient.params();
        q.put("status", status.name());
        printList(page.fetch(client(), AdminClient.path("products"), q), answer -> {
            Table t = Table.of("PRODUCT", "NAME", "CREATED", "STATUS");
            for (JsonNode p : answer.path("items")) {
                t.row(p.path("productId"), p.path("name"), p.path("createdAt"), p.path("status"));
            }
            return t;
        });
        return 0;
    }

    @Command(name = "create", description = "Create a product (it gets a fresh OneNET access key).")
    int create(@Parameters(paramLabel = "PRODUCT", description = "Its id: 1 to 64 of [A-Za-z0-9_.-].") String productId,
               @Option(names = "--name", paramLabel = "NAME", description = "Display name (default: the id).") String name) {
        JsonNode body = object().put("productId", productId).put("name", name == null ? productId : name);
        printer().print(client().post(AdminClient.path("products"), body), Table::fields);
        return 0;
    }

    @Command(name = "show", description = "One product, with its access key.")
    int show(@Parameters(paramLabel = "PRODUCT") String productId) {
        printer().print(client().get(AdminClient.path("products", productId)), Table::fields);
        return 0;
    }

    @Command(name = "archive", description = "Archive a product: its data is kept, its tasks are stopped, its devices get "
            + "no upgrade, and it takes no new firmware or task until unarchived.")
    int archive(@Parameters(paramLabel = "PRODUCT") String productId) {
        return setStatus(productId, "archived");
    }

    @Command(name = "unarchive", description = "Make an archived product active again (its stopped tasks stay stopped).")
    int unarchive(@Parameters(paramLabel = "PRODUCT") String productId) {
        return setStatus(productId, "active");
    }

    private int setStatus(String productId, String status) {
        printer().print(client().patch(AdminClient.path("products", productId), object().put("status", status)), Table::fields);
        return 0;
    }

    @Command(name = "delete", description = "Delete a product that holds nothing (no firmware, task or device; admin "
            + "role). One that holds anything is refused: archive it instead.")
    int delete(@Parameters(paramLabel = "PRODUCT") String productId) {
        client().delete(AdminClient.path("products", productId));
        printer().out().println("deleted " + productId);
        printer().out().flush();
        return 0;
    }
}
