package io.otaedge.loadtest.capacity;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The measurement's figures as Markdown, for docs/CAPACITY.md to quote. */
final class Report {

    private final PrintStream out;

    Report(PrintStream out) {
        this.out = out;
    }

    void heading(String text) {
        out.println();
        out.println(text);
        out.println();
    }

    void line(String format, Object... args) {
        out.println(String.format(Locale.ROOT, format, args));
    }

    void summary(List<BatchResult> batches) {
        out.println("| batch | devices measured (+ watched) | s | round trips/op | in scripts/op | commands/op | "
                + "Redis CPU µs/op | in commands µs/op | Redis in/out B/op | used_memory Δ B/op |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (BatchResult b : batches) {
            line("| %s | %d (+%d) | %.1f | %.2f | %.2f | %.2f | %.1f | %.1f | %.0f / %.0f | %s |", b.name(), b.measured(),
                    b.watched(), b.delta().seconds(),
                    b.roundTrips(), b.scriptCommands(), b.commands(), b.redisCpuMicros(), b.commandMicros(),
                    b.netInBytes(), b.netOutBytes(),
                    b.idle() ? "" : String.format(Locale.ROOT, "%.0f", b.memoryBytes()));
        }
    }

    void detail(BatchResult b) {
        heading("#### " + b.name());
        line("MONITOR over %d devices (per op: origin, command, key kind):", b.watched());
        out.println();
        out.println("```");
        for (Map.Entry<String, Long> e : b.tally().entrySet()) {
            line("%8.2f  %s", e.getValue() / (double) Math.max(1, b.watched()), e.getKey());
        }
        out.println("```");
        out.println();
        double ops = Math.max(1, b.measured());
        String stats = b.delta().calls().entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.2f (%.1f µs)", e.getKey(), e.getValue() / ops,
                        b.delta().usec().getOrDefault(e.getKey(), 0L) / ops))
                .collect(Collectors.joining(", "));
        line("commandstats per op over %d devices (%.1f s), calls (time inside): %s", b.measured(), b.delta().seconds(),
                stats.isEmpty() ? "none" : stats);
    }

    void keys(List<KeySpace.Kind> kinds) {
        out.println("| key kind | type | encoding | keys | sampled | mean MEMORY USAGE (B) | mean elements | B/element | "
                + "with TTL | total (KiB) |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (KeySpace.Kind k : kinds) {
            line("| `%s` | %s | %s | %d | %d | %.0f | %.1f | %.1f | %.0f%% | %.1f |", k.shape(), k.type(), k.encoding(),
                    k.keys(), k.sampled(), k.bytes(), k.elements(), k.bytesPerElement(), k.withTtl() * 100,
                    k.totalBytes() / 1024);
        }
    }
}
