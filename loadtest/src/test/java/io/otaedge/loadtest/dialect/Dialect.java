package io.otaedge.loadtest.dialect;

import io.gatling.javaapi.core.ChainBuilder;
import io.otaedge.loadtest.CampaignSetup;
import java.util.Map;

/**
 * One device dialect's upgrade as its devices perform it: check in, download the firmware from the
 * edge URL the dialect hands out and verify its md5, and (unless {@code -Dota.progress=false})
 * report progress and the new version where the dialect has such calls. Chains read the device
 * identity and campaign that {@code OtaSimulation.newDevice()} puts in the session, plus what
 * {@link #prepare} returned.
 */
public interface Dialect {

    /** The name used in {@code -Dota.dialects} and in request names. */
    String name();

    /**
     * The dialect's side of the campaign, before any device starts: credentials its devices carry
     * (they go into every device's session under the returned names) and any registration the
     * dialect needs besides the campaign's {@code default} task.
     */
    default Map<String, Object> prepare(CampaignSetup setup) {
        return Map.of();
    }

    ChainBuilder upgrade();
}
