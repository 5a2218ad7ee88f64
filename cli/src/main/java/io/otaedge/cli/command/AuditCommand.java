package io.otaedge.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.cli.CliFailure;
import io.otaedge.cli.http.AdminClient;
import io.otaedge.cli.output.Table;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code otactl audit}: the audit trail of admin writes and failed authentications, newest first; with
 * {@code --follow}, oldest first as {@code tail -f} does, then each entry written afterwards ({@link AuditFollow}).
 */
@Command(name = "audit", description = "The audit trail: who changed what, when, with which answer (newest first; "
        + "--follow: the latest entries oldest first, then each new one until interrupted).")
public final class AuditCommand extends AdminCommand implements java.util.concurrent.Callable<Integer> {

    static final String[] COLUMNS = {"AT", "KEY", "NAME", "METHOD", "ROUTE", "TARGETS", "STATUS", "ADDRESS"};

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

    @Option(names = {"-f", "--follow"}, description = "Keep polling and print each new entry once, until interrupted (Ctrl-C).")
    boolean follow;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s",
            description = "With --follow, time between polls: 500ms, 2s, 1m or PT2S. Default: ${DEFAULT-VALUE}.")
    String interval;

    @Override
    public Integer call() {
        if (follow) {
            if (cursor != null) {
                throw CliFailure.usage("--follow starts from the newest entries; it takes no --cursor");
            }
            Duration every = TaskWatchCommand.parseDuration(interval);
            return new AuditFollow(client(), printer(), filters(), limit, every).run();
        }
        Map<String, Object> q = filters();
        q.put("limit", limit);
        q.put("cursor", cursor);
        JsonNode answer = client().get(AdminClient.path("audit") + AdminClient.query(q));
        printer().print(answer, a -> {
            Table t = Table.of(COLUMNS);
            for (JsonNode e : a.path("items")) {
                t.row((Object[]) cells(e));
            }
            return t;
        });
        if (!printer().isJson() && answer.hasNonNull("nextCursor")) {
            printer().out().println("more: otactl audit --cursor " + answer.get("nextCursor").asText());
            printer().out().flush();
        }
        return 0;
    }

    private Map<String, Object> filters() {
        Map<String, Object> q = AdminClient.params();
        q.put("keyId", key);
        q.put("target", target);
        q.put("since", since);
        return q;
    }

    /** The method, and the entry's action when it has one (a read that handed out a credential: GET read_credential). */
    private static String method(JsonNode e) {
        String action = e.path("action").asText("");
        return Table.cell(e.path("method")) + (action.isEmpty() ? "" : " " + action);
    }

    /** An entry's table cells, in {@link #COLUMNS}' order. */
    static String[] cells(JsonNode e) {
        StringBuilder targets = new StringBuilder();
        e.path("targets").properties().forEach(p -> targets.append(targets.isEmpty() ? "" : ",")
                .append(p.getKey()).append('=').append(p.getValue().asText()));
        return new String[] {Table.cell(e.path("at")), Table.cell(e.path("keyId")), Table.cell(e.path("keyName")),
                method(e), Table.cell(e.path("route")), targets.toString(),
                Table.cell(e.path("status")), Table.cell(e.path("address"))};
    }
}
