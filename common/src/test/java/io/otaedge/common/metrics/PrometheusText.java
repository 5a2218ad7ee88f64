package io.otaedge.common.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests that scrape a running
 * service. Neither client_java 1.x nor Micrometer ships a text parser, so this one follows the
 * format's specification and rejects anything it does not allow: a sample whose family was not
 * declared by a TYPE line, a malformed label set or escape, a value that is not a float, a family
 * declared twice.
 */
public final class PrometheusText {

    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final Map<String, String> types;
    private final List<Sample> samples;

    private PrometheusText(Map<String, String> types, List<Sample> samples) {
        this.types = Collections.unmodifiableMap(types);
        this.samples = Collections.unmodifiableList(samples);
    }

    public static PrometheusText parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            try {
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("#")) {
                    comment(line, types);
                } else {
                    Sample s = new LineReader(line).sample();
                    if (familyOf(s.name(), types) == null) {
                        throw new IllegalArgumentException("sample of an undeclared family");
                    }
                    samples.add(s);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " '" + line + "': " + e.getMessage(), e);
            }
        }
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition must end with a line feed");
        }
        return new PrometheusText(types, samples);
    }

    private static void comment(String line, Map<String, String> types) {
        String[] parts = line.split(" ", 4);
        if (parts.length >= 3 && parts[0].equals("#") && parts[1].equals("TYPE")) {
            if (parts.length != 4 || !TYPES.contains(parts[3])) {
                throw new IllegalArgumentException("bad TYPE line");
            }
            checkName(parts[2]);
            if (types.put(parts[2], parts[3]) != null) {
                throw new IllegalArgumentException("family declared twice");
            }
        } else if (parts.length >= 3 && parts[0].equals("#") && parts[1].equals("HELP")) {
            checkName(parts[2]);
        }
        // any other comment is allowed and ignored
    }

    /** The declared family a sample belongs to, considering the suffixes its type allows. */
    private static String familyOf(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            String t = types.get(sample);
            return t.equals("histogram") ? null : sample;
        }
        for (String suffix : new String[] {"_total", "_created", "_bucket", "_count", "_sum"}) {
            if (sample.endsWith(suffix)) {
                String family = sample.substring(0, sample.length() - suffix.length());
                String t = types.get(family);
                boolean fits = switch (suffix) {
                    case "_total" -> "counter".equals(t);
                    case "_created" -> "counter".equals(t) || "histogram".equals(t) || "summary".equals(t);
                    case "_bucket" -> "histogram".equals(t);
                    default -> "histogram".equals(t) || "summary".equals(t);
                };
                if (fits) {
                    return family;
                }
            }
        }
        // A counter family may be declared with its _total name (OpenMetrics style) by some writers.
        return null;
    }

    private static void checkName(String name) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("bad metric name '" + name + "'");
        }
    }

    /** The family type declared for {@code name}, or null. */
    public String type(String name) {
        return types.get(name);
    }

    public Set<String> families() {
        return types.keySet();
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Sum of every sample named {@code name} whose labels include {@code match}; 0 when none. */
    public double sum(String name, Map<String, String> match) {
        double total = 0;
        for (Sample s : samples) {
            if (s.name().equals(name) && s.labels().entrySet().containsAll(match.entrySet())) {
                total += s.value();
            }
        }
        return total;
    }

    public double sum(String name) {
        return sum(name, Map.of());
    }

    /** True when at least one sample has this name. */
    public boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    /** Reads one sample line: name, optional {labels}, value, optional timestamp. */
    private static final class LineReader {
        private final String line;
        private int pos;

        LineReader(String line) {
            this.line = line;
        }

        Sample sample() {
            String name = name();
            checkName(name);
            Map<String, String> labels = new LinkedHashMap<>();
            if (pos < line.length() && line.charAt(pos) == '{') {
                pos++;
                labels(labels);
            }
            expect(' ');
            String[] rest = line.substring(pos).split(" ", -1);
            if (rest.length > 2 || rest[0].isEmpty()) {
                throw new IllegalArgumentException("expected a value and an optional timestamp");
            }
            double value = value(rest[0]);
            if (rest.length == 2) {
                Long.parseLong(rest[1]);
            }
            return new Sample(name, Collections.unmodifiableMap(labels), value);
        }

        private String name() {
            int start = pos;
            while (pos < line.length() && line.charAt(pos) != '{' && line.charAt(pos) != ' ') {
                pos++;
            }
            return line.substring(start, pos);
        }

        private void labels(Map<String, String> labels) {
            if (pos < line.length() && line.charAt(pos) == '}') {
                pos++;
                return;
            }
            while (true) {
                int eq = line.indexOf('=', pos);
                if (eq < 0) {
                    throw new IllegalArgumentException("label without '='");
                }
                String label = line.substring(pos, eq);
                if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                    throw new IllegalArgumentException("bad label name '" + label + "'");
                }
                pos = eq + 1;
                expect('"');
                StringBuilder v = new StringBuilder();
                while (true) {
                    if (pos >= line.length()) {
                        throw new IllegalArgumentException("unterminated label value");
                    }
                    char c = line.charAt(pos++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        char e = pos < line.length() ? line.charAt(pos++) : ' ';
                        switch (e) {
                            case '\\' -> v.append('\\');
                            case '"' -> v.append('"');
                            case 'n' -> v.append('\n');
                            default -> throw new IllegalArgumentException("bad escape \\" + e);
                        }
                    } else {
                        v.append(c);
                    }
                }
                if (labels.put(label, v.toString()) != null) {
                    throw new IllegalArgumentException("label '" + label + "' twice");
                }
                if (pos < line.length() && line.charAt(pos) == ',') {
                    pos++;
                    if (pos < line.length() && line.charAt(pos) == '}') {
                        pos++;
                        return;
                    }
                    continue;
                }
                expect('}');
                return;
            }
        }

        private void expect(char c) {
            if (pos >= line.length() || line.charAt(pos) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at column " + (pos + 1));
            }
            pos++;
        }

        private static double value(String v) {
            return switch (v) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> {
                    if (!v.matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?")) {
                        throw new IllegalArgumentException("bad value '" + v + "'");
                    }
                    yield Double.parseDouble(v);
                }
            };
        }
    }
}
