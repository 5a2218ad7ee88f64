package io.otaedge.loadtest;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.otaedge.loadtest.dialect.OneNet;

import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * NB-IoT modules on a poor link: OneNET devices check in, then fetch the firmware in
 * 512 B–1 KiB ranges with long pauses, drop the connection mid-range now and then and resume on a
 * new one from the byte they have, assemble the file and verify its md5 against the check's.
 * Unless {@code -Dota.oneNetProgress=false} they also report progress and their new version.
 *
 * <p>Defaults: 100 devices over 60 s, a 256 KiB firmware, pauses of 1–2 s, 5% of ranges dropped;
 * fails when more than 0.5% of requests fail or p99 reaches 1 s.
 */
public class NbIotSlowLink extends OtaSimulation {

    public NbIotSlowLink() {
        super("nbiot", 256);
        Fleet fleet = Fleet.fromProperties(100, 60, 0.5, 1000);
        RangedDownload ranges = RangedDownload.fromProperties(512, 1024, 1000, 2000, 5);

        ScenarioBuilder devices = scenario("NB-IoT slow link (OneNET)")
                .exec(newDevice())
                .exec(OneNet.checkIn())
                .exitHereIfFailed()
                .exec(OneNet.beforeDownload())
                .exec(ranges.chain("onenet range", OneNet.DOWNLOAD_URL, true))
                .exec(OneNet.afterDownload());

        setUp(devices.injectOpen(fleet.arrivals()))
                .protocols(deviceProtocol())
                .assertions(fleet.assertions());
    }
}
