package io.otaedge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** otactl run in this JVM as a shell would run it: arguments, environment, its two output streams, its exit code. */
final class Cli {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Cli() {
    }

    record Result(int code, String out, String err) {

        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + out, e);
            }
        }

        /** The table's rows (header first), cells split on the two-space column gaps. */
        List<List<String>> rows() {
            List<List<String>> rows = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (!line.isBlank()) {
                    rows.add(List.of(line.strip().split(" {2,}")));
                }
            }
            return rows;
        }

        /** A field list ({@code name  value} lines) as a map. */
        Map<String, String> fields() {
            Map<String, String> f = new LinkedHashMap<>();
            for (List<String> row : rows()) {
                f.put(row.get(0), row.size() > 1 ? row.get(1) : "");
            }
            return f;
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Otactl.commandLine(env, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
