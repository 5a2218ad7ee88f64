package io.otaedge.cli.command;

import io.otaedge.cli.http.AdminClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code otactl tokens revoke}. */
@Command(name = "tokens", description = "Download tokens.")
public final class TokensCommand extends AdminCommand {

    @Command(name = "revoke", description = "Revoke a download token at once.")
    int revoke(@Parameters(paramLabel = "TOKEN") String token) {
        client().delete(AdminClient.path("tokens", token));
        if (printer().isJson()) {
            printer().json(object().put("revoked", token));
        } else {
            printer().out().println("revoked " + token);
            printer().out().flush();
        }
        return 0;
    }
}
