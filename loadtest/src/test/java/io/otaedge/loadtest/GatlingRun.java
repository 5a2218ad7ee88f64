package io.otaedge.loadtest;

import io.gatling.app.Gatling$;
import io.gatling.javaapi.core.Simulation;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Gatling's programmatic runner, with {@code -Dota.*} properties set for the run and restored after. */
final class GatlingRun {

    private GatlingRun() {
    }

    /** Runs one simulation without HTML reports; returns Gatling's status (0: ran, assertions held). */
    static int run(Class<? extends Simulation> simulation, Path resultsFolder, Map<String, String> properties) {
        Map<String, String> previous = new HashMap<>();
        properties.forEach((k, v) -> previous.put(k, System.setProperty(k, v)));
        try {
            return Gatling$.MODULE$.fromArgs(new String[] {
                    "--simulation", simulation.getName(),
                    "--results-folder", resultsFolder.toAbsolutePath().toString(),
                    "--no-reports"});
        } finally {
            previous.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }
}
