package io.otaedge.control.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.catalog.FirmwareStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link TaskFactory}: every default, every rule in the admin API's exact words, and instants kept exact. */
class TaskFactoryTest {

    static final Instant NOW = Instant.parse("2025-03-04T05:06:07.123456Z");
    static final TaskFactory FACTORY = new TaskFactory(Clock.fixed(NOW, ZoneOffset.UTC), () -> "task_fixed");

    static Firmware firmware(String version, FirmwareStatus status) {
        return new Firmware("fw_1", "p1", version, "default", "a.bin", 10, "m", "s", "2025-01-01T00:00:00Z", null, status);
    }

    static JsonNode body(String json) throws Exception {
        return Json.mapper().readTree(json);
    }

    static TaskRuleViolation refusalOf(String json) {
        try {
            FACTORY.read(body(json));
        } catch (TaskRuleViolation e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void anEmptyBodyAsksForEveryDefault() throws Exception {
        TaskSpec d = FACTORY.read(body("{}"));

        assertThat(d).isEqualTo(FACTORY.defaults());
        assertThat(d.targeting()).isEqualTo(new Targeting(List.of(), List.of(), List.of(), List.of(), List.of(), true));
        assertThat(d.rollout()).isEqualTo(new RolloutPlan(List.of(100.0), false, null, 10));
        assertThat(d.schedule()).isEqualTo(Schedule.ALWAYS);
        assertThat(d.offer()).isEqualTo(new Offer(UpgradeType.FOTA, UpgradeMode.COMPELLENT, false, false));
        assertThat(d.hints()).isEqualTo(new DeviceHints(0, 0, false, 3, 60));
    }

    @Test
    void nullFieldsAndAnEmptyStageListAreDefaultsToo() throws Exception {
        TaskSpec d = FACTORY.read(body("""
                {"sourceVersions":null,"type":null,"retry":null,"stages":[],"failureThreshold":null,"mode":null,
                 "startAt":null,"autoAdd":null,"macRanges":null}"""));

        assertThat(d).isEqualTo(FACTORY.defaults());
    }

    @Test
    void everyFieldOfTheBodyLandsInItsGroup() throws Exception {
        TaskSpec s = FACTORY.read(body("""
                {"sourceVersions":["1.0",7],"devices":["d1",42],"type":2,"signal":-90,"power":20,"retry":0,"interval":5,
                 "macRanges":[{"from":"00:00:00:00:00:01","to":"00-00-00-00-00-FF"}],"manufacturers":["acme"],
                 "models":["m1"],"stages":[1,10.5,100],"autoAdvance":true,"failureThreshold":0,"minSample":1,
                 "mode":"CONFIRM","startAt":"2026-01-31T22:00:00Z","endAt":"2026-02-01T22:00:00Z","autoAdd":false,
                 "enforceThresholds":true,"deltaOnly":true,"rollback":true}"""));

        assertThat(s.targeting()).isEqualTo(new Targeting(List.of("1.0", "7"), List.of("d1", "42"),
                List.of(new MacRange("00:00:00:00:00:01", "00-00-00-00-00-FF")), List.of("acme"), List.of("m1"), false));
        assertThat(s.rollout()).isEqualTo(new RolloutPlan(List.of(1.0, 10.5, 100.0), true, 0, 1));
        assertThat(s.schedule()).isEqualTo(new Schedule(Instant.parse("2026-01-31T22:00:00Z"), Instant.parse("2026-02-01T22:00:00Z")));
        assertThat(s.offer()).isEqualTo(new Offer(UpgradeType.SOTA, UpgradeMode.CONFIRM, true, true));
        assertThat(s.hints()).isEqualTo(new DeviceHints(-90, 20, true, 0, 5));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"sourceVersions":"1.0"}                 | sourceVersions | sourceVersions must be an array
            {"sourceVersions":["1 0"]}               | sourceVersions | sourceVersions must hold only versions matching [A-Za-z0-9_.-]{1,20}
            {"sourceVersions":[1.5]}                 | sourceVersions | sourceVersions must hold only versions matching [A-Za-z0-9_.-]{1,20}
            {"devices":[true]}                       | devices        | devices must hold only device ids matching [A-Za-z0-9_.:-]{1,64}
            {"type":0}                               | type           | type must be an integer from 1 to 2
            {"type":3}                               | type           | type must be an integer from 1 to 2
            {"type":"1"}                             | type           | type must be an integer from 1 to 2
            {"signal":1.5}                           | signal         | signal must be an integer from -2147483648 to 2147483647
            {"signal":9999999999}                    | signal         | signal must be an integer from -2147483648 to 2147483647
            {"power":101}                            | power          | power must be an integer from 0 to 100
            {"power":-1}                             | power          | power must be an integer from 0 to 100
            {"retry":-1}                             | retry          | retry must be an integer from 0 to 2147483647
            {"interval":-1}                          | interval       | interval must be an integer from 0 to 2147483647
            {"macRanges":{}}                         | macRanges      | macRanges must be an array
            {"macRanges":[1]}                        | macRanges      | macRanges must hold {from, to} MAC addresses with from <= to
            {"macRanges":[{"from":"00:00:00:00:00:02","to":"00:00:00:00:00:01"}]} | macRanges | macRanges must hold {from, to} MAC addresses with from <= to
            {"macRanges":[{"from":"zz","to":"00:00:00:00:00:01"}]} | macRanges | macRanges must hold {from, to} MAC addresses with from <= to
            {"manufacturers":[" "]}                  | manufacturers  | manufacturers must hold only names of 1 to 64 characters
            {"models":["xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]} | models | models must hold only names of 1 to 64 characters
            {"stages":10}                            | stages         | stages must be an array
            {"stages":[0]}                           | stages         | stages must be increasing numbers above 0.0 and at most 100.0
            {"stages":[101]}                         | stages         | stages must be increasing numbers above 0.0 and at most 100.0
            {"stages":[10,10]}                       | stages         | stages must be increasing numbers above 0.0 and at most 100.0
            {"stages":[50,10]}                       | stages         | stages must be increasing numbers above 0.0 and at most 100.0
            {"stages":["10"]}                        | stages         | stages must be increasing numbers above 0.0 and at most 100.0
            {"autoAdvance":"yes"}                    | autoAdvance    | autoAdvance must be true or false
            {"failureThreshold":101}                 | failureThreshold | failureThreshold must be an integer from 0 to 100
            {"minSample":0}                          | minSample      | minSample must be an integer from 1 to 2147483647
            {"mode":1}                               | mode           | mode must be a string
            {"mode":"SOMETIMES"}                     | mode           | mode must be CONFIRM or COMPELLENT
            {"startAt":"tomorrow"}                   | startAt        | startAt must be an ISO-8601 instant such as 2026-01-31T22:00:00Z
            {"endAt":5}                              | endAt          | endAt must be a string
            {"startAt":"2026-02-01T00:00:00Z","endAt":"2026-02-01T00:00:00Z"} | startAt | startAt must be before endAt
            {"startAt":"2026-02-02T00:00:00Z","endAt":"2026-02-01T00:00:00Z"} | startAt | startAt must be before endAt
            {"autoAdd":0}                            | autoAdd        | autoAdd must be true or false
            {"enforceThresholds":"true"}             | enforceThresholds | enforceThresholds must be true or false
            {"deltaOnly":1}                          | deltaOnly      | deltaOnly must be true or false
            {"rollback":"no"}                        | rollback       | rollback must be true or false
            {"downloadRetries":-1}                   | downloadRetries | downloadRetries must be an integer from 0 to 1000
            {"installRetries":1001}                  | installRetries | installRetries must be an integer from 0 to 1000
            {"timeoutRetries":"1"}                   | timeoutRetries | timeoutRetries must be an integer from 0 to 1000
            {"retryWaitSeconds":0}                   | retryWaitSeconds | retryWaitSeconds must be an integer from 1 to 86400
            """)
    void aBrokenFieldIsRefusedInTheAdminApisWords(String json, String field, String message) {
        TaskRuleViolation e = refusalOf(json);

        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).isEqualTo(message);
    }

    @Test
    void theRetryPolicyIsReadAsGivenAndAbsentMeansNone() throws Exception {
        assertThat(FACTORY.defaults().retries()).isEqualTo(RetryPolicy.NONE);
        TaskSpec s = FACTORY.read(body("""
                {"downloadRetries":2,"installRetries":0,"retryWaitSeconds":30}"""));
        assertThat(s.retries()).isEqualTo(new RetryPolicy(2, 0, null, 30));
        assertThat(s.retries().timeoutsFail()).isFalse();
        // The wait doubles per failure and stops at a day.
        assertThat(List.of(1, 2, 3, 20).stream().map(s.retries()::waitSeconds)).containsExactly(30, 60, 120, 86_400);
    }

    @Test
    void theFirstBrokenFieldInBodyOrderIsTheOneNamed() {
        assertThat(refusalOf("{\"rollback\":1,\"power\":101,\"type\":9}").field()).isEqualTo("type");
        assertThat(refusalOf("{\"endAt\":\"x\",\"mode\":\"x\"}").field()).isEqualTo("mode");
    }

    @Test
    void aNewTaskIsAtStageZeroCreatedNowWithTheGivenStatus() throws Exception {
        TaskSpec spec = FACTORY.read(body("{\"devices\":[\"d1\"]}"));

        UpgradeTask t = FACTORY.create("p1", firmware("2.0", FirmwareStatus.ONLINE), spec, TaskStatus.CREATED);

        assertThat(t).isEqualTo(new UpgradeTask("task_fixed", "p1", "fw_1", TaskStatus.CREATED, 0, NOW,
                firmware("2.0", FirmwareStatus.ONLINE), spec));
    }

    @Test
    void anInvalidFirmwareIsRefused() {
        assertThatThrownBy(() -> FACTORY.create("p1", firmware("2.0", FirmwareStatus.INVALID), FACTORY.defaults(), TaskStatus.RUNNING))
                .isInstanceOfSatisfying(TaskRuleViolation.class, e -> {
                    assertThat(e.field()).isEqualTo("firmwareId");
                    assertThat(e.getMessage()).isEqualTo("firmware 'fw_1' is INVALID");
                });
    }

    @Test
    void aFirmwareOfAnotherProductIsRefused() {
        assertThatThrownBy(() -> FACTORY.create("p2", firmware("2.0", FirmwareStatus.ONLINE), FACTORY.defaults(), TaskStatus.RUNNING))
                .isInstanceOf(TaskRuleViolation.class).hasMessage("no firmware 'fw_1' in product 'p2'");
    }

    @Test
    void aSourceVersionNewerThanTheTargetNeedsRollback() throws Exception {
        TaskSpec down = FACTORY.read(body("{\"sourceVersions\":[\"1.0\",\"2.01\"]}"));
        Firmware target = firmware("2.0", FirmwareStatus.ONLINE);

        assertThatThrownBy(() -> FACTORY.create("p1", target, down, TaskStatus.RUNNING))
                .isInstanceOfSatisfying(TaskRuleViolation.class, e -> assertThat(e.field()).isEqualTo("sourceVersions"))
                .hasMessage("sourceVersions names 2.01, newer than the target 2.0: a downgrade needs \"rollback\": true");
        TaskSpec rollback = FACTORY.read(body("{\"sourceVersions\":[\"1.0\",\"2.01\"],\"rollback\":true}"));
        assertThat(FACTORY.create("p1", target, rollback, TaskStatus.RUNNING).spec().offer().rollback()).isTrue();
    }

    @Test
    void aSpecBuiltInCodeMeetsTheSameRules() {
        TaskSpec d = FACTORY.defaults();
        Firmware fw = firmware("2.0", FirmwareStatus.ONLINE);

        TaskSpec badPower = new TaskSpec(d.targeting(), d.rollout(), d.schedule(), d.offer(), new DeviceHints(0, 101, false, 3, 60));
        TaskSpec badDevice = d.withTargeting(d.targeting().withDevices(List.of("no spaces allowed")));
        TaskSpec badWindow = new TaskSpec(d.targeting(), d.rollout(), new Schedule(NOW, NOW), d.offer(), d.hints());
        TaskSpec badStages = new TaskSpec(d.targeting(), new RolloutPlan(List.of(50.0, 20.0), false, null, 10), d.schedule(),
                d.offer(), d.hints());

        for (TaskSpec bad : List.of(badPower, badDevice, badWindow, badStages)) {
            assertThatThrownBy(() -> FACTORY.create("p1", fw, bad, TaskStatus.RUNNING)).isInstanceOf(TaskRuleViolation.class);
        }
        assertThat(FACTORY.create("p1", fw, d.withTargeting(d.targeting().withDevices(List.of("aa:bb"))), TaskStatus.PAUSED)
                .spec().targeting().devices()).containsExactly("aa:bb");
    }

    @Test
    void instantsSurviveTheJsonRoundTripExactly() throws Exception {
        TaskSpec spec = FACTORY.read(body("{\"startAt\":\"2026-01-31T22:00:00.5Z\",\"endAt\":\"2026-02-01T00:00:00.000001Z\"}"));
        UpgradeTask t = FACTORY.create("p1", firmware("2.0", FirmwareStatus.ONLINE), spec, TaskStatus.RUNNING);

        String json = Json.string(t);
        UpgradeTask back = Json.mapper().readValue(json, UpgradeTask.class);

        assertThat(json).contains("\"createdAt\":\"2025-03-04T05:06:07.123456Z\"",
                "\"startAt\":\"2026-01-31T22:00:00.500Z\"", "\"endAt\":\"2026-02-01T00:00:00.000001Z\"");
        assertThat(back).isEqualTo(t);
        assertThat(back.createdAt()).isEqualTo(NOW);
        assertThat(back.spec().schedule().startAt()).isEqualTo(Instant.parse("2026-01-31T22:00:00.5Z"));
    }
}
