package io.otaedge.loadtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.otaedge.loadtest.cells.CellOccupancy;
import io.otaedge.loadtest.cells.OfferLedger;
import io.otaedge.loadtest.dialect.OneNet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.gatling.javaapi.core.CoreDsl.bodyBytes;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * NB-IoT cells with a cap, and a task with a rollout rate (issue #16, controls 1 and 5), under load. OneNET devices
 * spread over {@code ota.cells} base stations check in until the task's rate ({@code ota.ratePerMinute}) lets them in
 * (errno 11 meanwhile: OneNET's "no task", come back later), then ask the edge for the firmware naming their cell
 * ({@code ?s_id=}) until it admits them (OneNET's one-byte {@code 6} while the cell is full), and fetch it range by
 * range with pauses and drops as in {@link NbIotSlowLink}, resuming on new connections.
 *
 * <p>Passes when, besides the usual failed-request and p99 bounds: no cell ever had more devices downloading at once
 * than {@code ota.cellCap} (the edges must run with {@code OTA_EDGE_CELL_CAP} equal to it; see {@link CellOccupancy}),
 * no clock minute had more offers than the rate ({@link OfferLedger}), and every device assembled the firmware with
 * the right md5. Defaults: 300 devices over 60 s in 20 cells, cap 4, 120 offers a minute, a 64 KiB firmware in
 * 1–2 KiB ranges 0.5–1 s apart, 2 % of ranges dropped.
 */
public class NbIotCells extends OtaSimulation {

    /** OneNET's documented download path, which carries the base station and answers a full cell with its one-byte 6. */
    static final String SOUTH_DOWNLOAD_URL = "http://#{ipPort}/ota/south/download/#{token}?s_id=#{cell}";

    private final CellOccupancy cells = new CellOccupancy(LoadSettings.integer("ota.cellCap", 4));
    private final OfferLedger offers = new OfferLedger(LoadSettings.integer("ota.ratePerMinute", 120));
    private final int cellCount = LoadSettings.integer("ota.cells", 20);
    private final Duration comeBack = LoadSettings.millis("ota.comeBackMs", 3000);
    /** This run's cell ids: a run never shares a cell with an earlier one whose slots are still running out. */
    private final String cellPrefix = "4600" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36) + "x";

    public NbIotCells() {
        super("nbiot-cells", 64);
        Fleet fleet = Fleet.fromProperties(300, 60, 0.5, 1000);
        RangedDownload ranges = RangedDownload.fromProperties(1024, 2048, 500, 1000, 2);

        ScenarioBuilder devices = scenario("NB-IoT cells with a cap, task with a rate (OneNET)")
                .exec(newDevice())
                .exec(session -> session.set("cell", cellPrefix + (session.getLong("devId") % cellCount)))
                .exec(checkUntilOffered())
                .exitHereIfFailed()
                .exec(OneNet.beforeDownload())
                .exec(admittedByTheCell())
                .exitHereIfFailed()
                .exec(ranges.chain("onenet range", SOUTH_DOWNLOAD_URL, true, this::leaveBeforeTheLastRange))
                .exitHereIfFailed()
                .exec(OneNet.afterDownload());

        List<Assertion> assertions = new ArrayList<>(fleet.assertions());
        // The cap and the rate: a check or an admission that broke them is a failed request of its own name.
        assertions.add(details("onenet check").failedRequests().count().is(0L));
        assertions.add(details("cell admission").failedRequests().count().is(0L));
        setUp(devices.injectOpen(fleet.arrivals()))
                .protocols(deviceProtocol())
                .assertions(assertions);
    }

    @Override
    protected ObjectNode taskFields() {
        return OtaAdmin.object().put("maximumPerMinute", LoadSettings.integer("ota.ratePerMinute", 120));
    }

    /** Checks every {@code ota.comeBackMs} until offered (bounded); an offer is held to the rate. */
    private ChainBuilder checkUntilOffered() {
        return exec(session -> session.set("errno", -1).set("checks", 0))
                .asLongAs(session -> session.getInt("errno") != 0 && session.getInt("checks") < 400).on(
                        exec(session -> session.set("sentAt", System.currentTimeMillis())
                                .set("checks", session.getInt("checks") + 1))
                                .exec(OneNet.checkRequest("onenet check").check(
                                        status().is(200),
                                        jsonPath("$.errno").ofInt().in(0, 11).saveAs("errno"),
                                        jsonPath("$.errno").ofInt().transformWithSession(this::withinTheRate).is(true),
                                        jsonPath("$.data.token").optional().saveAs("token"),
                                        jsonPath("$.data.ipPort").optional().saveAs("ipPort")))
                                .exitHereIfFailed()
                                .doIf(session -> session.getInt("errno") != 0).then(pause(comeBack)));
    }

    private boolean withinTheRate(int errno, Session session) {
        return errno != 0 || offers.offered(session.getLong("sentAt"), System.currentTimeMillis());
    }

    /** Asks for the first byte naming the cell until the edge admits the download (206); a full cell answers 6. */
    private ChainBuilder admittedByTheCell() {
        return exec(session -> session.set("admission", 503).set("asks", 0))
                .asLongAs(session -> session.getInt("admission") == 503 && session.getInt("asks") < 400).on(
                        exec(session -> session.set("asks", session.getInt("asks") + 1))
                                .exec(http("cell admission")
                                        .get(SOUTH_DOWNLOAD_URL)
                                        .header("Range", "bytes=0-0")
                                        .check(status().in(206, 503).saveAs("admission"),
                                                bodyBytes().transformWithSession(this::admitted).is(true)))
                                .exitHereIfFailed()
                                .doIf(session -> session.getInt("admission") == 503).then(pause(comeBack)));
    }

    /** A 206 enters the cell (false when that breaks the cap); a 503 must be OneNET's one-byte 6. */
    private boolean admitted(byte[] body, Session session) {
        if (body.length == 1 && body[0] == '6') {
            return true;
        }
        return body.length == 1 && cells.enter(session.getString("cell"));
    }

    private Session leaveBeforeTheLastRange(Session session) {
        if (!session.contains("left") && session.getLong("to") == session.getLong("expectedSize") - 1) {
            cells.leave(session.getString("cell"));
            return session.set("left", true);
        }
        return session;
    }

    @Override
    public void after() {
        System.out.printf("nbiot-cells: most devices downloading at once in one cell %d (cap %d); most offers in one"
                        + " clock minute %d (rate %d), per minute %s, %d more straddling a minute's end%n",
                cells.highest(), cells.cap(), offers.highest(), LoadSettings.integer("ota.ratePerMinute", 120),
                offers.perMinute(), offers.straddling());
    }
}
