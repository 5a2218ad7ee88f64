package io.otaedge.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.function.Function;

/** Prints an answer in the chosen format: the server's JSON as it came (indented), or a table made from it. */
public final class Printer {

    private final OutputFormat format;
    private final PrintWriter out;
    private final ObjectMapper json;

    public Printer(OutputFormat format, PrintWriter out, ObjectMapper json) {
        this.format = format;
        this.out = out;
        this.json = json;
    }

    public boolean isJson() {
        return format == OutputFormat.json;
    }

    public PrintWriter out() {
        return out;
    }

    public void print(JsonNode answer, Function<JsonNode, Table> asTable) {
        if (isJson()) {
            json(answer);
        } else {
            asTable.apply(answer).print(out);
        }
    }

    public void json(JsonNode answer) {
        try {
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
        out.flush();
    }

    /** One compact JSON document per line (for streams such as {@code tasks watch}). */
    public void jsonLine(JsonNode answer) {
        out.println(answer.toString());
        out.flush();
    }
}
