package io.otaedge.loadtest;

import io.gatling.javaapi.core.PopulationBuilder;
import io.otaedge.loadtest.dialect.Dialect;
import io.otaedge.loadtest.dialect.Dialects;
import java.util.List;

import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * A mixed fleet upgrading together: for each dialect in {@code -Dota.dialects} (default
 * {@code onenet}; the others once their endpoints exist), {@code ota.devices} devices check in,
 * download and verify the firmware, and with {@code -Dota.progress=true} report progress, all
 * against one campaign.
 *
 * <p>Defaults: 100 devices per dialect over 30 s, a 256 KiB firmware; fails when more than 0.5%
 * of requests fail or p99 reaches 3 s.
 */
public class FleetUpgrade extends OtaSimulation {

    public FleetUpgrade() {
        super("fleet", 256);
        Fleet fleet = Fleet.fromProperties(100, 30, 0.5, 3000);

        List<PopulationBuilder> populations = Dialects.enabled().stream()
                .map(dialect -> population(dialect, fleet))
                .toList();

        setUp(populations)
                .protocols(deviceProtocol())
                .assertions(fleet.assertions());
    }

    private PopulationBuilder population(Dialect dialect, Fleet fleet) {
        return scenario("fleet " + dialect.name())
                .exec(newDevice())
                .exec(dialect.upgrade())
                .injectOpen(fleet.arrivals());
    }
}
