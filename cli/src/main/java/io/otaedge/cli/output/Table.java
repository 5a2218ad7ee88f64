package io.otaedge.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Left-aligned columns two spaces apart, an upper-case header line first (none for a field list). */
public final class Table {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    private Table(List<String> header) {
        this.header = header;
    }

    public static Table of(String... header) {
        return new Table(List.of(header));
    }

    /** A record as {@code name  value} lines: nested objects flattened to dotted names, arrays joined. */
    public static Table fields(JsonNode object) {
        Table t = new Table(List.of());
        flatten("", object, t);
        return t;
    }

    public Table row(Object... cells) {
        List<String> r = new ArrayList<>(cells.length);
        for (Object c : cells) {
            r.add(c == null ? "-" : c instanceof JsonNode n ? cell(n) : String.valueOf(c));
        }
        rows.add(r);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public void print(PrintWriter out) {
        int columns = header.isEmpty() ? rows.stream().mapToInt(List::size).max().orElse(0) : header.size();
        int[] width = new int[columns];
        List<List<String>> all = new ArrayList<>();
        if (!header.isEmpty()) {
            all.add(header);
        }
        all.addAll(rows);
        for (List<String> r : all) {
            for (int i = 0; i < r.size() && i < columns; i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        for (List<String> r : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size() && i < columns; i++) {
                line.append(r.get(i));
                if (i < r.size() - 1) {
                    line.append(" ".repeat(width[i] - r.get(i).length() + 2));
                }
            }
            out.println(line);
        }
        out.flush();
    }

    /** A JSON value in one cell: text as is, null as "-", arrays of scalars comma-joined, anything else compact JSON. */
    public static String cell(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "-";
        }
        if (n.isValueNode()) {
            return n.asText();
        }
        if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode item : n) {
                if (!item.isValueNode()) {
                    return n.toString();
                }
                parts.add(item.asText());
            }
            return parts.isEmpty() ? "-" : String.join(",", parts);
        }
        return n.toString();
    }

    private static void flatten(String prefix, JsonNode object, Table t) {
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (e.getValue().isObject() && !e.getValue().isEmpty()) {
                flatten(prefix + e.getKey() + ".", e.getValue(), t);
            } else {
                t.row(prefix + e.getKey(), e.getValue());
            }
        }
    }
}
