package io.otaedge.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the simulations from rotting: a few seconds each of {@link NbIotSlowLink} and of
 * {@link FleetUpgrade} (all five dialects) with tiny fleets against a real standalone (its own
 * process, free ports, fresh data), through Gatling's own runner, so a change that breaks the
 * scripts or the system's behaviour under them fails {@code ./mvnw verify}. Not a performance
 * test: the thresholds are Gatling's assertions as the simulation defines them, with room for a
 * busy CI machine.
 */
class SimulationsSmokeTest {

    static StandaloneProcess system;
    static Path work;

    @BeforeAll
    static void startTheStandalone() throws Exception {
        work = Files.createDirectories(Path.of("target", "smoke")).toAbsolutePath();
        Path jar = Path.of(System.getProperty("ota.standaloneJar", "../standalone/target/ota-standalone.jar"));
        // One slot per NB-IoT cell for NbIotCells; the other simulations name no cell and are not capped. A finished
        // download keeps its slot for OTA_EDGE_CELL_TAIL (10 s by default, for NB-IoT links): a second on loopback.
        system = StandaloneProcess.start(jar.toAbsolutePath().normalize(), Files.createTempDirectory(work, "run-"),
                Map.of("OTA_EDGE_CELL_CAP", "1", "OTA_EDGE_CELL_TAIL", "PT1S"));
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    /** A tiny fleet: 4 devices, a 12 KiB firmware, short pauses, a drop in a fifth of the ranges. */
    static Map<String, String> smokeFleet() {
        Map<String, String> p = new HashMap<>(Map.of(
                "ota.deviceUrl", system.deviceUrl,
                "ota.adminUrl", system.adminUrl,
                "ota.edgeUrl", system.edgeUrl,
                "ota.adminKey", system.adminKey,
                "ota.devices", "4",
                "ota.rampSeconds", "1",
                "ota.firmwareKiB", "12",
                "ota.pauseMinMs", "5",
                "ota.pauseMaxMs", "20",
                "ota.dropPercent", "20"));
        p.put("ota.p99Ms", "3000");
        return p;
    }

    @Test
    void devicesAssembleAndVerifyTheFirmwareRangeByRangeAndTheRunPassesItsAssertions() {
        int status = GatlingRun.run(NbIotSlowLink.class, work.resolve("results"), smokeFleet());

        assertThat(status).as("Gatling's status (see target/surefire-reports/*-output.txt)").isZero();
    }

    @Test
    void aMixedFleetOfAllFiveDialectsChecksInDownloadsVerifiesAndReportsProgress() {
        Map<String, String> fleet = smokeFleet();
        fleet.put("ota.devices", "2"); // per dialect; -Dota.dialects left at its default, all five

        int status = GatlingRun.run(FleetUpgrade.class, work.resolve("results"), fleet);

        assertThat(status).as("Gatling's status (see target/surefire-reports/*-output.txt)").isZero();
    }

    @Test
    void devicesOfTwoCellsWithOneSlotEachTakeTurnsAndEveryOneAssemblesTheFirmware() {
        Map<String, String> fleet = smokeFleet();
        fleet.putAll(Map.of("ota.devices", "6", "ota.cells", "2", "ota.cellCap", "1", "ota.ratePerMinute", "1000",
                "ota.firmwareKiB", "8", "ota.dropPercent", "10", "ota.comeBackMs", "50"));

        int status = GatlingRun.run(NbIotCells.class, work.resolve("results"), fleet);

        assertThat(status).as("Gatling's status (see target/surefire-reports/*-output.txt)").isZero();
    }

    @Test
    void aRunWhoseAssertionsFailFailsTheBuild() {
        Map<String, String> impossible = smokeFleet();
        impossible.put("ota.devices", "1");
        impossible.put("ota.firmwareKiB", "2");
        impossible.put("ota.p99Ms", "0"); // no response is faster than 0 ms

        int status = GatlingRun.run(NbIotSlowLink.class, work.resolve("results"), impossible);

        assertThat(status).as("Gatling's status for a run whose p99 assertion cannot hold").isNotZero();
    }
}
