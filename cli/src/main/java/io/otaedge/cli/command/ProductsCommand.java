package io.otaedge.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.cli.http.AdminClient;
import io.otaedge.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code otactl products list|create|show}. */
@Command(name = "products", description = "Products: a fleet of one device kind, with its own keys and catalog.")
public final class ProductsCommand extends AdminCommand {

    @Command(name = "list", description = "The products, by id, a page at a time.")
    int list(@Mixin PageOptions page) {
        printList(page.fetch(client(), AdminClient.path("products"), AdminClient.params()), answer -> {
            Table t = Table.of("PRODUCT", "NAME", "CREATED");
            for (JsonNode p : answer.path("items")) {
                t.row(p.path("productId"), p.path("name"), p.path("createdAt"));
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
}
