package io.otaedge.loadtest.dialect;

import io.gatling.javaapi.core.ChainBuilder;

/**
 * One device dialect's upgrade as its devices perform it: check in, download the firmware and
 * verify its md5, and (with {@code -Dota.progress=true}) report progress and the new version.
 * Chains read the device identity and campaign that {@code OtaSimulation.newDevice()} puts in the
 * session.
 */
public interface Dialect {

    /** The name used in {@code -Dota.dialects} and in request names. */
    String name();

    ChainBuilder upgrade();
}
