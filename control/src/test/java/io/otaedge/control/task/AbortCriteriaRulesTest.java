package io.otaedge.control.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The abort criteria in {@link TaskFactory} (AWS IoT Jobs {@code AbortCriteria}: every field required, action
 * CANCEL, a percentage of at most 100, at least one executed thing; here also above 0): read, refused with the field
 * named, judged at the threshold and not before the minimum, stored and loaded unchanged.
 */
class AbortCriteriaRulesTest {

    static final TaskFactory FACTORY = new TaskFactory(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    static JsonNode body(String json) throws Exception {
        return Json.mapper().readTree(json);
    }

    @Test
    void noCriteriaMeansNeverAborted() throws Exception {
        assertThat(FACTORY.read(body("{}")).abortCriteria()).isEmpty();
    }

    @Test
    void criteriaAreReadInOrder() throws Exception {
        List<AbortCriterion> c = FACTORY.read(body("""
                {"abortCriteria":[{"failureType":"FAILED","action":"CANCEL","thresholdPercentage":20,"minNumberOfExecutedThings":100},
                {"failureType":"ALL","action":"CANCEL","thresholdPercentage":10.5,"minNumberOfExecutedThings":1}]}""")).abortCriteria();
        assertThat(c).containsExactly(new AbortCriterion(AbortCriterion.FailureType.FAILED, "CANCEL", 20, 100),
                new AbortCriterion(AbortCriterion.FailureType.ALL, "CANCEL", 10.5, 1));
    }

    @Test
    void aCriterionIsMetAtItsPercentageOnceTheMinimumFinished() {
        AbortCriterion c = new AbortCriterion(AbortCriterion.FailureType.FAILED, "CANCEL", 20, 100);
        assertThat(c.metBy(99, 99)).as("below the minimum").isFalse();
        assertThat(c.metBy(100, 19)).isFalse();
        assertThat(c.metBy(100, 20)).as("20 % reaches a 20 % threshold").isTrue();
        assertThat(c.metBy(1000, 199)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"abortCriteria\":{}}|abortCriteria must be an array",
            "{\"abortCriteria\":[1]}|abortCriteria must hold objects {failureType, action, thresholdPercentage, minNumberOfExecutedThings}",
            "{\"abortCriteria\":[{\"failureType\":\"SLOW\",\"action\":\"CANCEL\",\"thresholdPercentage\":5,\"minNumberOfExecutedThings\":1}]}|abortCriteria must hold a failureType of FAILED, REJECTED, TIMED_OUT or ALL in every criterion",
            "{\"abortCriteria\":[{\"failureType\":\"FAILED\",\"thresholdPercentage\":5,\"minNumberOfExecutedThings\":1}]}|abortCriteria must hold action CANCEL (the only action)",
            "{\"abortCriteria\":[{\"failureType\":\"FAILED\",\"action\":\"PAUSE\",\"thresholdPercentage\":5,\"minNumberOfExecutedThings\":1}]}|abortCriteria must hold action CANCEL (the only action)",
            "{\"abortCriteria\":[{\"failureType\":\"FAILED\",\"action\":\"CANCEL\",\"thresholdPercentage\":0,\"minNumberOfExecutedThings\":1}]}|abortCriteria must hold a thresholdPercentage above 0 and at most 100",
            "{\"abortCriteria\":[{\"failureType\":\"FAILED\",\"action\":\"CANCEL\",\"thresholdPercentage\":100.5,\"minNumberOfExecutedThings\":1}]}|abortCriteria must hold a thresholdPercentage above 0 and at most 100",
            "{\"abortCriteria\":[{\"failureType\":\"FAILED\",\"action\":\"CANCEL\",\"thresholdPercentage\":\"5\",\"minNumberOfExecutedThings\":1}]}|abortCriteria must hold a thresholdPercentage above 0 and at most 100",
            "{\"abortCriteria\":[{\"failureType\":\"FAILED\",\"action\":\"CANCEL\",\"thresholdPercentage\":5,\"minNumberOfExecutedThings\":0}]}|abortCriteria must hold a minNumberOfExecutedThings of at least 1",
            "{\"abortCriteria\":[{\"failureType\":\"FAILED\",\"action\":\"CANCEL\",\"thresholdPercentage\":5}]}|abortCriteria must hold a minNumberOfExecutedThings of at least 1",
            "{\"abortCriteria\":[{\"failureType\":\"FAILED\",\"action\":\"CANCEL\",\"thresholdPercentage\":5,\"minNumberOfExecutedThings\":1,\"x\":1}]}|abortCriteria must hold only failureType, action, thresholdPercentage and minNumberOfExecutedThings, not 'x'",
    })
    void badCriteriaAreRefusedByName(String json, String message) throws Exception {
        try {
            FACTORY.read(body(json));
        } catch (TaskRuleViolation e) {
            assertThat(e.field()).isEqualTo("abortCriteria");
            assertThat(e.getMessage()).isEqualTo(message);
            return;
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void theCriteriaSurviveTheirJsonAndOldRecordsLoadWithout() throws Exception {
        TaskSpec spec = FACTORY.read(body("""
                {"abortCriteria":[{"failureType":"REJECTED","action":"CANCEL","thresholdPercentage":5,"minNumberOfExecutedThings":7}]}"""));
        UpgradeTask t = new UpgradeTask("t1", "p1", "fw_1", TaskStatus.RUNNING, 0, Instant.parse("2026-01-01T00:00:00Z"),
                TaskFactoryTest.firmware("2.0", io.otaedge.control.catalog.FirmwareStatus.ONLINE), spec);
        String json = Json.mapper().writeValueAsString(t);
        String field = ",\"abortCriteria\":[{\"failureType\":\"REJECTED\",\"action\":\"CANCEL\",\"thresholdPercentage\":5.0,"
                + "\"minNumberOfExecutedThings\":7}]";
        assertThat(json).contains(field);
        assertThat(Json.mapper().readValue(json, UpgradeTask.class).spec().abortCriteria()).isEqualTo(spec.abortCriteria());
        String old = json.replace(field, "");
        assertThat(Json.mapper().readValue(old, UpgradeTask.class).spec().abortCriteria()).isEmpty();
        // A task without criteria shows no field, as before they existed.
        UpgradeTask plain = new UpgradeTask("t2", "p1", "fw_1", TaskStatus.RUNNING, 0, t.createdAt(), t.firmware(), FACTORY.defaults());
        assertThat(Json.mapper().writeValueAsString(plain)).doesNotContain("abortCriteria");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"autoRollback\":[]}|autoRollback must be an object {thresholdPercentage, minNumberOfExecutedThings, firmwareId, abortCriteria}",
            "{\"autoRollback\":{\"minNumberOfExecutedThings\":5,\"firmwareId\":\"fw_1\"}}|autoRollback must have a thresholdPercentage above 0 and at most 100",
            "{\"autoRollback\":{\"thresholdPercentage\":0,\"minNumberOfExecutedThings\":5,\"firmwareId\":\"fw_1\"}}|autoRollback must have a thresholdPercentage above 0 and at most 100",
            "{\"autoRollback\":{\"thresholdPercentage\":10,\"minNumberOfExecutedThings\":0,\"firmwareId\":\"fw_1\"}}|autoRollback must have a minNumberOfExecutedThings of at least 1",
            "{\"autoRollback\":{\"thresholdPercentage\":10,\"minNumberOfExecutedThings\":5}}|autoRollback must name the firmwareId to roll back to",
            "{\"autoRollback\":{\"thresholdPercentage\":10,\"minNumberOfExecutedThings\":5,\"firmwareId\":\"fw_1\",\"x\":1}}|autoRollback must hold only thresholdPercentage, minNumberOfExecutedThings, firmwareId and abortCriteria, not 'x'",
            "{\"autoRollback\":{\"thresholdPercentage\":10,\"minNumberOfExecutedThings\":5,\"firmwareId\":\"fw_1\",\"abortCriteria\":[{\"failureType\":\"ALL\",\"action\":\"CANCEL\",\"thresholdPercentage\":0,\"minNumberOfExecutedThings\":1}]}}|autoRollback.abortCriteria must hold a thresholdPercentage above 0 and at most 100",
    })
    void badAutoRollbacksAreRefusedByName(String json, String message) throws Exception {
        try {
            FACTORY.read(body(json));
        } catch (TaskRuleViolation e) {
            assertThat(e.field()).isEqualTo("autoRollback");
            assertThat(e.getMessage()).isEqualTo(message);
            return;
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void anAutoRollbackSurvivesItsJsonAndTheApiCannotSetRollbackOf() throws Exception {
        TaskSpec spec = FACTORY.read(body("""
                {"autoRollback":{"thresholdPercentage":25,"minNumberOfExecutedThings":40,"firmwareId":"fw_0"}}"""));
        assertThat(spec.autoRollback()).isEqualTo(new AutoRollback(25, 40, "fw_0", List.of()));
        assertThat(spec.rollbackOf()).isNull();
        UpgradeTask t = new UpgradeTask("t1", "p1", "fw_1", TaskStatus.RUNNING, 0, Instant.parse("2026-01-01T00:00:00Z"),
                TaskFactoryTest.firmware("2.0", io.otaedge.control.catalog.FirmwareStatus.ONLINE), spec);
        String json = Json.mapper().writeValueAsString(t);
        assertThat(Json.mapper().readValue(json, UpgradeTask.class).spec()).isEqualTo(spec);
        UpgradeTask rollback = new UpgradeTask("t2", "p1", "fw_0", TaskStatus.RUNNING, 0, t.createdAt(), t.firmware(),
                TaskSpec.rollbackOf(t, List.of("d1", "d2"), FACTORY.defaults()));
        String rbJson = Json.mapper().writeValueAsString(rollback);
        assertThat(rbJson).contains("\"rollbackOf\":\"t1\"").doesNotContain("autoRollback");
        assertThat(Json.mapper().readValue(rbJson, UpgradeTask.class).spec()).isEqualTo(rollback.spec());
    }
}
