package io.otaedge.loadtest;

import io.gatling.javaapi.core.PopulationBuilder;
import io.otaedge.loadtest.dialect.Dialect;
import io.otaedge.loadtest.dialect.Dialects;
import java.util.List;

import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * A mixed fleet upgrading together: for each dialect in {@code -Dota.dialects} (default all five:
 * {@code onenet,fog,xiaozhi,luatos,aliyun}), {@code ota.devices} devices check in, download the
 * firmware from the edge URL they were given and verify its md5, and (unless
 * {@code -Dota.progress=false}) report progress where their dialect has such calls, all against
 * one campaign.
 *
 * <p>Defaults: 100 devices per dialect over 30 s, a 256 KiB firmware; fails when more than 0.5%
 * of requests fail or p99 reaches 3 s.
 */
public class FleetUpgrade extends OtaSimulation {

    private final List<Dialect> dialects = Dialects.enabled();

    public FleetUpgrade() {
        super("fleet", 256);
        Fleet fleet = Fleet.fromProperties(100, 30, 0.5, 3000);

        List<PopulationBuilder> populations = dialects.stream()
                .map(dialect -> population(dialect, fleet))
                .toList();

        setUp(populations)
                .protocols(deviceProtocol())
                .assertions(fleet.assertions());
    }

    @Override
    protected List<Dialect> dialects() {
        return dialects;
    }

    private PopulationBuilder population(Dialect dialect, Fleet fleet) {
        return scenario("fleet " + dialect.name())
                .exec(newDevice())
                .exec(dialect.upgrade())
                .injectOpen(fleet.arrivals());
    }
}
