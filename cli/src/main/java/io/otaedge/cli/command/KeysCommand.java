package io.otaedge.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otaedge.cli.http.AdminClient;
import io.otaedge.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code otactl keys create|list|revoke}: API keys with a role (the admin role's calls). */
@Command(name = "keys", description = "API keys with a role: viewer (reads), operator (rollouts), admin (everything).")
public final class KeysCommand extends AdminCommand {

    enum Role {
        viewer, operator, admin
    }

    @Command(name = "create", description = "Create a key; its secret is printed this once (keep it: only its hash is stored).")
    int create(@Parameters(paramLabel = "NAME", description = "Who or what uses it, e.g. ci-pipeline.") String name,
               @Option(names = "--role", required = true, paramLabel = "ROLE", description = "viewer, operator or admin.") Role role,
               @Option(names = "--expires-at", paramLabel = "TIME", description = "RFC 3339 time it stops working, e.g. "
                       + "2027-01-31T00:00:00Z (default: never).") String expiresAt,
               @Option(names = {"-q", "--quiet"}, description = "Print only the key.") boolean quiet) {
        ObjectNode body = object().put("name", name).put("role", role.name());
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt);
        }
        JsonNode answer = client().post(AdminClient.path("keys"), body);
        if (quiet) {
            return printValue(answer, "key");
        }
        printer().print(answer, Table::fields);
        return 0;
    }

    @Command(name = "list", description = "The live keys (never their secrets).")
    int list() {
        printer().print(client().get(AdminClient.path("keys")), answer -> {
            Table t = Table.of("ID", "NAME", "ROLE", "CREATED", "BY", "EXPIRES");
            for (JsonNode k : answer.path("keys")) {
                t.row(k.path("id"), k.path("name"), k.path("role"), k.path("createdAt"), k.path("createdBy"),
                        k.path("expiresAt"));
            }
            return t;
        });
        return 0;
    }

    @Command(name = "revoke", description = "Revoke a key: its next request is refused, on every control instance.")
    int revoke(@Parameters(paramLabel = "ID", description = "The key's id (the <id> of ota_k_<id>_<secret>).") String id) {
        client().delete(AdminClient.path("keys", id));
        if (printer().isJson()) {
            printer().json(object().put("revoked", id));
        } else {
            printer().out().println("revoked " + id);
            printer().out().flush();
        }
        return 0;
    }
}
