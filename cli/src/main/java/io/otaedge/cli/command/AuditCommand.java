package io.otaedge.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.cli.http.AdminClient;
import io.otaedge.cli.output.Table;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code otactl audit}: the audit trail of admin writes and failed authentications, newest first. */
@Command(name = "audit", description = "The audit trail: who changed what, when, with which answer (newest first).")
public final class AuditCommand extends AdminCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--since", paramLabel = "TIME", description = "Entries at or after this RFC 3339 time.")
    String since;

    @Option(names = "--key-id", paramLabel = "KEY_ID", description = "Entries of one key: its id, or bootstrap (--key is the key otactl sends).")
    String key;

    @Option(names = "--target", paramLabel = "ID", description = "Entries about one product, task, firmware, key or token.")
    String target;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Entries a page. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "Go on from a page's next cursor (older entries).")
    String cursor;

    @Override
    public Integer call() {
        Map<String, Object> q = AdminClient.params();
        q.put("limit", limit);
        q.put("cursor", cursor);
        q.put("keyId", key);
        q.put("target", target);
        q.put("since", since);
        JsonNode answer = client().get(AdminClient.path("audit") + AdminClient.query(q));
        printer().print(answer, a -> {
            Table t = Table.of("AT", "KEY", "NAME", "METHOD", "ROUTE", "TARGETS", "STATUS", "ADDRESS");
            for (JsonNode e : a.path("items")) {
                StringBuilder targets = new StringBuilder();
                e.path("targets").properties().forEach(p -> targets.append(targets.isEmpty() ? "" : ",")
                        .append(p.getKey()).append('=').append(p.getValue().asText()));
                t.row(e.path("at"), e.path("keyId"), e.path("keyName"), e.path("method"), e.path("route"),
                        targets.toString(), e.path("status"), e.path("address"));
            }
            return t;
        });
        if (!printer().isJson() && answer.hasNonNull("nextCursor")) {
            printer().out().println("more: otactl audit --cursor " + answer.get("nextCursor").asText());
            printer().out().flush();
        }
        return 0;
    }
}
