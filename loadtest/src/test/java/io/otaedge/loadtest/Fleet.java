package io.otaedge.loadtest;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.OpenInjectionStep;
import java.time.Duration;
import java.util.List;

import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;

/**
 * The shape of a run and its pass/fail rules: how many devices arrive over how long, and the
 * assertions that fail the run (share of failed requests, p99 response time).
 *
 * @param devices          virtual devices ({@code ota.devices})
 * @param ramp             they arrive evenly over this ({@code ota.rampSeconds})
 * @param maxFailedPercent most failed requests tolerated, percent ({@code ota.maxFailedPercent})
 * @param p99Millis        the 99th percentile response time must stay below this ({@code ota.p99Ms})
 */
public record Fleet(int devices, Duration ramp, double maxFailedPercent, int p99Millis) {

    public static Fleet fromProperties(int devices, int rampSeconds, double maxFailedPercent, int p99Millis) {
        return new Fleet(
                LoadSettings.integer("ota.devices", devices),
                Duration.ofSeconds(LoadSettings.integer("ota.rampSeconds", rampSeconds)),
                LoadSettings.decimal("ota.maxFailedPercent", maxFailedPercent),
                LoadSettings.integer("ota.p99Ms", p99Millis));
    }

    public OpenInjectionStep arrivals() {
        return rampUsers(devices).during(ramp.isZero() ? Duration.ofMillis(1) : ramp);
    }

    public List<Assertion> assertions() {
        return List.of(
                global().failedRequests().percent().lte(maxFailedPercent),
                global().responseTime().percentile(99.0).lt(p99Millis),
                // A run where nothing was requested proves nothing.
                global().allRequests().count().gt(0L));
    }
}
