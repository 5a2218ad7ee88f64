package io.otaedge.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.cli.CliFailure;
import io.otaedge.cli.http.AdminClient;
import io.otaedge.cli.output.Printer;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code otactl audit --follow}: the latest entries, then polls. The trail's pages go from newest to older, so each
 * poll asks for the entries since the newest one printed (its millisecond, {@code since=}), follows the page cursor
 * back until it reaches that entry, and prints what is newer, oldest first. Entry ids (Redis stream ids,
 * {@code <ms>-<seq>}) order the entries, so none is printed twice even when several share a millisecond.
 * Table output keeps fixed columns so that lines printed over time line up; JSON output is one entry per line.
 */
final class AuditFollow {

    /** Column widths of the table; a longer cell widens only its own line. */
    private static final int[] WIDTHS = {24, 12, 12, 6, 40, 28, 6, 15};

    private final AdminClient client;
    private final Printer printer;
    private final Map<String, Object> filters;
    private final int limit;
    private final Duration every;
    private String newest;

    AuditFollow(AdminClient client, Printer printer, Map<String, Object> filters, int limit, Duration every) {
        this.client = client;
        this.printer = printer;
        this.filters = filters;
        this.limit = limit;
        this.every = every;
    }

    /** Until the thread is interrupted (Ctrl-C ends the JVM anyway): exit code 0. */
    int run() {
        try {
            if (!printer.isJson()) {
                line(AuditCommand.COLUMNS);
            }
            Map<String, Object> q = new LinkedHashMap<>(filters);
            q.put("limit", limit);
            List<JsonNode> first = new ArrayList<>();
            client.get(AdminClient.path("audit") + AdminClient.query(q)).path("items").forEach(first::add);
            print(first);
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(every.toMillis());
                print(newer());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (CliFailure e) {
            if (!Thread.currentThread().isInterrupted()) {
                throw e;
            }
        }
        return 0;
    }

    /** The entries after {@link #newest}, newest first (as the API pages them). */
    private List<JsonNode> newer() {
        Map<String, Object> q = new LinkedHashMap<>(filters);
        q.put("limit", 1000);
        if (newest != null) {
            q.put("since", Instant.ofEpochMilli(millis(newest)).toString());
        }
        List<JsonNode> found = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> page = new LinkedHashMap<>(q);
            page.put("cursor", cursor);
            JsonNode answer = client.get(AdminClient.path("audit") + AdminClient.query(page));
            for (JsonNode e : answer.path("items")) {
                if (newest != null && compare(e.path("id").asText(), newest) <= 0) {
                    return found;
                }
                found.add(e);
            }
            cursor = answer.path("nextCursor").isTextual() ? answer.get("nextCursor").asText() : null;
        } while (cursor != null);
        return found;
    }

    /** {@code newestFirst}, printed oldest first. */
    private void print(List<JsonNode> newestFirst) {
        if (newestFirst.isEmpty()) {
            return;
        }
        newest = newestFirst.get(0).path("id").asText();
        List<JsonNode> entries = new ArrayList<>(newestFirst);
        Collections.reverse(entries);
        for (JsonNode e : entries) {
            if (printer.isJson()) {
                printer.jsonLine(e);
            } else {
                line(AuditCommand.cells(e));
            }
        }
    }

    private void line(String[] cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            b.append(cells[i]);
            if (i < cells.length - 1) {
                b.append(" ".repeat(Math.max(WIDTHS[i] - cells[i].length(), 0) + 2));
            }
        }
        PrintWriter out = printer.out();
        out.println(b);
        out.flush();
    }

    private static long millis(String id) {
        return Long.parseLong(id.substring(0, id.indexOf('-')));
    }

    /** Stream ids compared as (ms, seq). */
    static int compare(String a, String b) {
        int byMillis = Long.compare(millis(a), millis(b));
        return byMillis != 0 ? byMillis : Long.compare(Long.parseLong(a.substring(a.indexOf('-') + 1)),
                Long.parseLong(b.substring(b.indexOf('-') + 1)));
    }
}
