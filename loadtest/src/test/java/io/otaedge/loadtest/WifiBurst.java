package io.otaedge.loadtest;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.otaedge.loadtest.dialect.OneNet;
import java.time.Duration;
import java.time.Instant;

import static io.gatling.javaapi.core.CoreDsl.md5;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * A campaign starts and a Wi-Fi fleet pounces: every device checks in while the fleet arrives
 * ({@code ota.rampSeconds}), then all of them download the whole file at the same moment (one
 * second after the last arrival) and verify its md5 and Content-Length.
 *
 * <p>Defaults: 500 devices checking in over 20 s, a 512 KiB firmware; fails when more than 0.5%
 * of requests fail or p99 reaches 5 s.
 */
public class WifiBurst extends OtaSimulation {

    private volatile Instant burstAt;

    public WifiBurst() {
        super("wifi", 512);
        Fleet fleet = Fleet.fromProperties(500, 20, 0.5, 5000);

        ScenarioBuilder devices = scenario("Wi-Fi burst (OneNET)")
                .exec(newDevice())
                .exec(OneNet.checkIn())
                .exitHereIfFailed()
                .pause(session -> untilBurst())
                .exec(http("burst download").get(OneNet.DOWNLOAD_URL)
                        .check(status().is(200),
                                header("Content-Length").isEL("#{expectedSize}"),
                                md5().isEL("#{expectedMd5}")));

        setUp(devices.injectOpen(fleet.arrivals()))
                .protocols(deviceProtocol())
                .assertions(fleet.assertions());
    }

    @Override
    public void before() {
        super.before();
        Duration ramp = Duration.ofSeconds(LoadSettings.integer("ota.rampSeconds", 20));
        burstAt = Instant.now().plus(ramp).plusSeconds(1);
    }

    private Duration untilBurst() {
        Duration d = Duration.between(Instant.now(), burstAt);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
