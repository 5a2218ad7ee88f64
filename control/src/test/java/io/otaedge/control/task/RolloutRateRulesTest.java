package io.otaedge.control.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The rollout rate's fields in {@link TaskFactory}: read, refused with the field named, stored and loaded unchanged. */
class RolloutRateRulesTest {

    static final TaskFactory FACTORY = new TaskFactory(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    static JsonNode body(String json) throws Exception {
        return Json.mapper().readTree(json);
    }

    @Test
    void noRateFieldsMeansUnlimited() throws Exception {
        assertThat(FACTORY.read(body("{}")).rate()).isEqualTo(RolloutRate.UNLIMITED);
        assertThat(RolloutRate.UNLIMITED.limited()).isFalse();
    }

    @Test
    void aFixedAndAnExponentialRateAreRead() throws Exception {
        assertThat(FACTORY.read(body("{\"maximumPerMinute\":50}")).rate()).isEqualTo(new RolloutRate(50, null, null, null));
        RolloutRate exp = FACTORY.read(body("""
                {"baseRatePerMinute":10,"incrementFactor":2,"incrementBy":20,"maximumPerMinute":100}""")).rate();
        assertThat(exp).isEqualTo(new RolloutRate(100, 10, 2.0, 20));
        assertThat(exp.perMinuteAfter(0)).isEqualTo(10);
        assertThat(exp.perMinuteAfter(19)).isEqualTo(10);
        assertThat(exp.perMinuteAfter(20)).isEqualTo(20);
        assertThat(exp.perMinuteAfter(40)).isEqualTo(40);
        assertThat(exp.perMinuteAfter(10_000)).isEqualTo(100);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"maximumPerMinute\":0}|maximumPerMinute|maximumPerMinute must be an integer from 1 to 1000000",
            "{\"maximumPerMinute\":\"5\"}|maximumPerMinute|maximumPerMinute must be an integer from 1 to 1000000",
            "{\"incrementFactor\":2,\"incrementBy\":5}|baseRatePerMinute|an exponential rate needs baseRatePerMinute, incrementFactor and incrementBy together: baseRatePerMinute is missing",
            "{\"baseRatePerMinute\":5,\"incrementBy\":5}|incrementFactor|an exponential rate needs baseRatePerMinute, incrementFactor and incrementBy together: incrementFactor is missing",
            "{\"baseRatePerMinute\":5,\"incrementFactor\":2}|incrementBy|an exponential rate needs baseRatePerMinute, incrementFactor and incrementBy together: incrementBy is missing",
            "{\"baseRatePerMinute\":5,\"incrementFactor\":1,\"incrementBy\":5}|incrementFactor|incrementFactor must be a number from 1.1 to 5.0",
            "{\"baseRatePerMinute\":5,\"incrementFactor\":\"2\",\"incrementBy\":5}|incrementFactor|incrementFactor must be a number from 1.1 to 5.0",
            "{\"baseRatePerMinute\":50,\"incrementFactor\":2,\"incrementBy\":5,\"maximumPerMinute\":10}|maximumPerMinute|maximumPerMinute must be at least baseRatePerMinute",
    })
    void badRateFieldsAreRefusedByName(String json, String field, String message) throws Exception {
        try {
            FACTORY.read(body(json));
        } catch (TaskRuleViolation e) {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).isEqualTo(message);
            return;
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void theRateSurvivesItsJsonAndOldRecordsLoadWithout() throws Exception {
        TaskSpec spec = FACTORY.read(body("{\"baseRatePerMinute\":10,\"incrementFactor\":1.5,\"incrementBy\":20}"));
        UpgradeTask t = new UpgradeTask("t1", "p1", "fw_1", TaskStatus.RUNNING, 0, Instant.parse("2026-01-01T00:00:00Z"),
                TaskFactoryTest.firmware("2.0", io.otaedge.control.catalog.FirmwareStatus.ONLINE), spec);
        String json = Json.mapper().writeValueAsString(t);

        assertThat(json).contains("\"baseRatePerMinute\":10,\"incrementFactor\":1.5,\"incrementBy\":20");
        assertThat(Json.mapper().readValue(json, UpgradeTask.class).spec().rate()).isEqualTo(spec.rate());
        String old = json.replace(",\"baseRatePerMinute\":10,\"incrementFactor\":1.5,\"incrementBy\":20", "");
        assertThat(Json.mapper().readValue(old, UpgradeTask.class).spec().rate()).isEqualTo(RolloutRate.UNLIMITED);
    }
}
