package io.otaedge.control.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.fleet.FakeClock;
import io.otaedge.control.fleet.FleetHarness;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.progress.StageSuccessGate;
import io.otaedge.control.task.Rollout;
import io.otaedge.control.task.UpgradeType;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * A simulated fleet of 400 devices against success criteria between stages (hawkBit's successCondition THRESHOLD
 * → successAction NEXTGROUP, and PAUSE for an operator) on a fake clock: stage 0 (20 %) is checked in, its devices
 * report success, and the periodic judge ({@link StageSuccessGate#judgeRunning}) is run by hand at chosen times. The
 * harness's own periodic judge is held off (interval of an hour) so only the fake clock counts.
 */
class StageSuccessFleetTest {

    static final Instant START = RolloutRateFleetTest.START;

    static final FakeClock clock = new FakeClock(START);
    static FleetHarness fleet;
    static DeviceCheckService checks;
    static DeviceProgressService progress;

    @BeforeAll
    static void start() {
        fleet = new FleetHarness(null, clock, 1, Duration.ofHours(1), Duration.ofDays(1));
        checks = fleet.at(0).checks();
        progress = fleet.at(0).progress();
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    record Task(String pid, String id) {
    }

    static Task task(String json) {
        FleetHarness.Fleet f = fleet.fleet("stages", "\"stages\":[20,100]," + json);
        return new Task(f.pid(), f.taskId());
    }

    /** Every device checks once at {@code at}; the ones offered the task. */
    static Set<String> checkAll(Task t, List<String> fleet, Instant at) {
        clock.set(at);
        Set<String> offered = new HashSet<>();
        Flux.fromIterable(fleet)
                .flatMap(d -> checks.check(FleetHarness.check(t.pid(), d, "1.0"))
                        .filter(CheckOutcome.Offer.class::isInstance).map(o -> d), 32)
                .doOnNext(d -> {
                    synchronized (offered) {
                        offered.add(d);
                    }
                })
                .blockLast(Duration.ofMinutes(1));
        return offered;
    }

    /** The devices report the target version at {@code at} (each a success, judged after its report). */
    static void succeed(Task t, List<String> devices, Instant at) {
        clock.set(at);
        Flux.fromIterable(devices)
                .concatMap(d -> progress.reportVersion(t.pid(), d, UpgradeType.FOTA, "2.0"))
                .blockLast(Duration.ofMinutes(1));
    }

    static long judgeAt(Instant at) {
        clock.set(at);
        return progress.stageSuccess().judgeRunning().block(Duration.ofSeconds(30));
    }

    static JsonNode view(Task t) {
        return ControlHarness.json(fleet.control.adminGet("/admin/v1/tasks/" + t.id() + "/progress"));
    }

    /** The fleet's devices whose place falls in stage 0 of 20 % (found without a check, so none is enrolled yet). */
    static List<String> stage0(Task t, List<String> fleet) {
        return fleet.stream().filter(d -> Rollout.stageOf(Rollout.place(t.id(), d), List.of(20.0, 100.0)) == 0).toList();
    }

    @Test
    void theNextStageStartsOnlyOnceTheStageHeldItsSuccessForTheSoakEvenWithNobodyReporting() {
        Task t = task("\"successThreshold\":80,\"successSoak\":\"PT30M\",\"minSample\":10");
        List<String> fleet = FleetHarness.devices(400);
        // 80 of stage 0's devices check in first; the others of stage 0 come later.
        List<String> stage0 = stage0(t, fleet);
        assertThat(stage0.size()).as("about a fifth of 400").isBetween(60, 100);
        List<String> first = stage0.subList(0, 50);
        List<String> late = stage0.subList(50, stage0.size());
        assertThat(checkAll(t, first, START)).hasSize(50);

        succeed(t, first.subList(0, 39), START.plusSeconds(60));
        assertThat(view(t).get("successCriteria").has("successSince")).as("39 of 50 is under the threshold").isFalse();
        Instant reached = START.plusSeconds(120);
        succeed(t, first.subList(39, 50), reached);
        List<String> stage1 = fleet.stream().filter(d -> !stage0.contains(d)).toList();
        assertThat(checkAll(t, stage1, reached)).as("stage 1 not offered yet").isEmpty();
        JsonNode crit = view(t).get("successCriteria");
        assertThat(crit.get("successPercent").asDouble()).isEqualTo(100.0);
        assertThat(crit.get("successSince").asText()).isEqualTo(reached.toString());
        assertThat(crit.get("soakUntil").asText()).isEqualTo(reached.plus(Duration.ofMinutes(30)).toString());

        // The rest of stage 0 checks in (enrolled, not yet done): 50 of about 80 is under 80 %, the soak starts over.
        clock.set(START.plusSeconds(600));
        assertThat(checkAll(t, late, START.plusSeconds(600))).hasSize(late.size());
        assertThat(judgeAt(START.plusSeconds(660))).isZero();
        assertThat(view(t).get("successCriteria").has("successSince")).isFalse();

        Instant again = START.plusSeconds(900);
        succeed(t, late, again);
        assertThat(view(t).get("stage").asInt()).as("met, but soaking").isZero();
        assertThat(judgeAt(again.plus(Duration.ofMinutes(30)).minusSeconds(1))).isZero();
        assertThat(checkAll(t, stage1, again.plus(Duration.ofMinutes(29)))).as("stage 1 not offered yet").isEmpty();

        // Nobody reports any more: the periodic judge ends the soak.
        assertThat(judgeAt(again.plus(Duration.ofMinutes(30)))).isEqualTo(1);
        assertThat(view(t).get("stage").asInt()).isEqualTo(1);
        assertThat(view(t).get("status").asText()).isEqualTo("RUNNING");
        assertThat(checkAll(t, stage1, again.plus(Duration.ofMinutes(31)))).as("the rest of the fleet").hasSize(stage1.size());
    }

    @Test
    void aPauseActionWaitsForAnOperatorAndIsNotRepeatedForTheSameStage() {
        Task t = task("\"successThreshold\":90,\"successAction\":\"PAUSE\",\"minSample\":20");
        List<String> fleet = FleetHarness.devices(400);
        List<String> stage0 = new ArrayList<>(checkAll(t, fleet, START));
        assertThat(stage0).containsExactlyInAnyOrderElementsOf(stage0(t, fleet));
        int ninety = (int) Math.ceil(stage0.size() * 0.9);
        succeed(t, stage0.subList(0, ninety - 1), START.plusSeconds(60));
        assertThat(view(t).get("status").asText()).isEqualTo("RUNNING");
        succeed(t, stage0.subList(ninety - 1, ninety), START.plusSeconds(61));
        JsonNode v = view(t);
        assertThat(v.get("status").asText()).as("paused at the boundary by the report that met the threshold").isEqualTo("PAUSED");
        assertThat(v.get("stage").asInt()).isZero();
        assertThat(v.get("successCriteria").get("pausedForOperatorAtStage").asInt()).isZero();
        assertThat(v.get("successCriteria").get("pausedForOperatorAt").asText()).isEqualTo(START.plusSeconds(61).toString());
        assertThat(judgeAt(START.plusSeconds(3600))).as("a paused task is left to the operator").isZero();

        // Resume alone: the stage goes on and is not paused again for it.
        assertThat(post("/admin/v1/tasks/" + t.id() + "/resume").statusCode()).isEqualTo(200);
        succeed(t, stage0.subList(ninety, stage0.size()), START.plusSeconds(3700));
        assertThat(judgeAt(START.plusSeconds(3800))).isZero();
        assertThat(view(t).get("status").asText()).isEqualTo("RUNNING");
        List<String> stage1 = fleet.stream().filter(d -> !stage0.contains(d)).toList();
        assertThat(checkAll(t, stage1, START.plusSeconds(3900))).as("still stage 0 only").isEmpty();

        // The operator's go-ahead: advance, then the rest of the fleet is offered.
        assertThat(post("/admin/v1/tasks/" + t.id() + "/advance").statusCode()).isEqualTo(200);
        assertThat(view(t).get("stage").asInt()).isEqualTo(1);
        assertThat(checkAll(t, stage1, START.plusSeconds(4000))).as("the rest of the fleet").hasSize(stage1.size());
    }

    static HttpResponse<String> post(String path) {
        return fleet.control.adminPost(path, "");
    }
}
