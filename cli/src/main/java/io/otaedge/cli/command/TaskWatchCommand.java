package io.otaedge.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otaedge.cli.CliFailure;
import io.otaedge.cli.http.AdminClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code otactl tasks watch}: polls the task's progress view and prints a line of per-state counts each
 * time they change, until the task ends (Ctrl-C ends the watch, not the task).
 */
@Command(name = "watch", description = "Live per-state counts of a task, a line per change, until it ends.")
public final class TaskWatchCommand extends AdminCommand implements Callable<Integer> {

    /** States a device leaves no more by itself. */
    private static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED");

    enum Until {
        /** every enrolled device (at least one) SUCCEEDED or FAILED, or the task stopped */
        settled,
        /** the task stopped */
        stopped
    }

    @Parameters(paramLabel = "TASK_ID")
    String taskId;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s",
            description = "Time between refreshes: 500ms, 2s, 1m or PT2S. Default: ${DEFAULT-VALUE}.")
    String interval;

    @Option(names = "--until", paramLabel = "WHEN", defaultValue = "settled",
            description = "settled (default): every enrolled device succeeded or failed, or the task stopped; "
                    + "stopped: only when the task is stopped.")
    Until until;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Device rows read per refresh: "
            + "reading a row turns the edges' byte counts into DOWNLOADING for it. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    public Integer call() throws InterruptedException {
        Duration every = parseDuration(interval);
        AdminClient client = client();
        String path = AdminClient.path("tasks", taskId, "progress") + AdminClient.query(Map.of("limit", limit));
        PrintWriter out = printer().out();
        String last = null;
        List<String> columns = null;
        while (true) {
            ObjectNode snapshot = (ObjectNode) client.get(path);
            snapshot.remove("devices");
            String seen = snapshot.toString();
            if (!seen.equals(last)) {
                last = seen;
                if (printer().isJson()) {
                    printer().jsonLine(snapshot.put("time", LocalTime.now().truncatedTo(ChronoUnit.SECONDS).toString()));
                } else {
                    if (columns == null) {
                        columns = columns(snapshot);
                        out.println(line(columns, columns));
                    }
                    out.println(line(columns, values(columns, snapshot)));
                    out.flush();
                }
            }
            String ended = ended(snapshot, until);
            if (ended != null) {
                if (!printer().isJson()) {
                    out.println("task " + taskId + " " + ended);
                    out.flush();
                }
                return 0;
            }
            Thread.sleep(every.toMillis());
        }
    }

    /** Why the watch is over, or null while it goes on. */
    static String ended(JsonNode progress, Until until) {
        if ("STOPPED".equals(progress.path("status").asText())) {
            return "stopped";
        }
        if (until == Until.stopped) {
            return null;
        }
        long total = progress.path("total").asLong();
        long active = 0;
        for (Map.Entry<String, JsonNode> e : progress.path("counts").properties()) {
            active += FINAL.contains(e.getKey()) ? 0 : e.getValue().asLong();
        }
        return total > 0 && active == 0 ? "settled: " + progress.path("counts").path("SUCCEEDED").asLong()
                + " succeeded, " + progress.path("counts").path("FAILED").asLong() + " failed" : null;
    }

    private static List<String> columns(JsonNode snapshot) {
        List<String> c = new ArrayList<>(List.of("TIME", "STATUS", "STAGE", "TOTAL"));
        snapshot.path("counts").fieldNames().forEachRemaining(c::add);
        c.add("TIMED_OUT");
        return c;
    }

    private static List<String> values(List<String> columns, JsonNode s) {
        List<String> v = new ArrayList<>(List.of(LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")),
                s.path("status").asText(), s.path("stage").asText(), s.path("total").asText()));
        for (String state : columns.subList(4, columns.size() - 1)) {
            v.add(s.path("counts").path(state).asText("0"));
        }
        v.add(s.path("timedOut").asText());
        return v;
    }

    /** Fixed columns, each as wide as its header (at least 8), so lines printed over time stay aligned. */
    private static String line(List<String> columns, List<String> values) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            String v = values.get(i);
            b.append(v);
            if (i < columns.size() - 1) {
                b.append(" ".repeat(Math.max(Math.max(columns.get(i).length(), 8) - v.length(), 0) + 2));
            }
        }
        return b.toString();
    }

    /** {@code 500ms}, {@code 2s}, {@code 1m}, a number of seconds, or ISO-8601 ({@code PT2S}); at least 100 ms. */
    static Duration parseDuration(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        Duration d;
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                d = Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            } else if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            } else if (t.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                d = Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
            }
        } catch (RuntimeException e) {
            throw CliFailure.usage("not a duration: " + text + " (e.g. 500ms, 2s, 1m, PT2S)");
        }
        if (d.toMillis() < 100) {
            throw CliFailure.usage("--interval must be at least 100ms: " + text);
        }
        return d;
    }
}
