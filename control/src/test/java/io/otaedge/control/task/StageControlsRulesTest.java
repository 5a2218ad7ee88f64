package io.otaedge.control.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.control.catalog.FirmwareStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The success criteria's and maintenance windows' fields in {@link TaskFactory}: read, refused with the field named
 * (each part of a window by its index), stored and loaded unchanged, and old records load without them.
 */
class StageControlsRulesTest {

    static final TaskFactory FACTORY = new TaskFactory(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    static JsonNode body(String json) throws Exception {
        return Json.mapper().readTree(json);
    }

    @Test
    void absentFieldsMeanNoCriteriaAndNoWindows() throws Exception {
        TaskSpec spec = FACTORY.read(body("{}"));
        assertThat(spec.success()).isEqualTo(StageSuccess.NONE);
        assertThat(spec.windows().any()).isFalse();
    }

    @Test
    void criteriaAndWindowsAreRead() throws Exception {
        TaskSpec spec = FACTORY.read(body("""
                {"successThreshold":95,"successSoak":"PT2H","successAction":"PAUSE",
                 "maintenanceWindows":[{"cron":"0 2 * * *","duration":"PT3H","zone":"Europe/Berlin"},
                                       {"cron":"30 13 * * 6,0","duration":"PT30M","zone":"Asia/Shanghai"}]}"""));
        assertThat(spec.success()).isEqualTo(new StageSuccess(95, Duration.ofHours(2), StageSuccess.Action.PAUSE));
        assertThat(spec.windows().windows()).extracting(MaintenanceWindow::zone).containsExactly("Europe/Berlin", "Asia/Shanghai");
        assertThat(FACTORY.read(body("{\"successThreshold\":80}")).success().action()).isEqualTo(StageSuccess.Action.NEXTGROUP);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"successThreshold\":0}|successThreshold",
            "{\"successThreshold\":101}|successThreshold",
            "{\"successThreshold\":80,\"successSoak\":\"30 minutes\"}|successSoak",
            "{\"successThreshold\":80,\"successSoak\":\"P31D\"}|successSoak",
            "{\"successThreshold\":80,\"successSoak\":\"-PT1M\"}|successSoak",
            "{\"successThreshold\":80,\"successAction\":\"ROLLBACK\"}|successAction",
            "{\"successSoak\":\"PT1H\"}|successThreshold",
            "{\"successAction\":\"PAUSE\"}|successThreshold",
            "{\"successThreshold\":80,\"autoAdvance\":true}|successThreshold",
            "{\"maintenanceWindows\":{}}|maintenanceWindows",
            "{\"maintenanceWindows\":[\"0 2 * * *\"]}|maintenanceWindows[0]",
            "{\"maintenanceWindows\":[{\"cron\":\"0 2 * * *\",\"duration\":\"PT1H\",\"zone\":\"UTC\"},{\"cron\":\"0 2 * *\",\"duration\":\"PT1H\",\"zone\":\"UTC\"}]}|maintenanceWindows[1].cron",
            "{\"maintenanceWindows\":[{\"duration\":\"PT1H\",\"zone\":\"UTC\"}]}|maintenanceWindows[0].cron",
            "{\"maintenanceWindows\":[{\"cron\":\"0 2 * * *\",\"duration\":\"P8D\",\"zone\":\"UTC\"}]}|maintenanceWindows[0].duration",
            "{\"maintenanceWindows\":[{\"cron\":\"0 2 * * *\",\"duration\":3600,\"zone\":\"UTC\"}]}|maintenanceWindows[0].duration",
            "{\"maintenanceWindows\":[{\"cron\":\"0 2 * * *\",\"duration\":\"PT1H\",\"zone\":\"Berlin\"}]}|maintenanceWindows[0].zone",
            "{\"maintenanceWindows\":[{\"cron\":\"0 2 * * *\",\"duration\":\"PT1H\",\"zone\":\"UTC\",\"tz\":\"UTC\"}]}|maintenanceWindows[0].tz",
    })
    void badFieldsAreRefusedByName(String json, String field) throws Exception {
        assertThatThrownBy(() -> FACTORY.read(body(json))).isInstanceOf(TaskRuleViolation.class)
                .extracting("field").isEqualTo(field);
    }

    @Test
    void aWindowThatNeverStartsIsRefusedWhenTheTaskIsMade() throws Exception {
        TaskSpec spec = FACTORY.read(body("{\"maintenanceWindows\":[{\"cron\":\"0 0 30 2 *\",\"duration\":\"PT1H\",\"zone\":\"UTC\"}]}"));
        assertThatThrownBy(() -> FACTORY.create("p1", TaskFactoryTest.firmware("2.0", FirmwareStatus.ONLINE), spec, TaskStatus.RUNNING))
                .isInstanceOf(TaskRuleViolation.class).extracting("field").isEqualTo("maintenanceWindows[0].cron");
    }

    @Test
    void criteriaAndWindowsSurviveTheirJsonAndOldRecordsLoadWithout() throws Exception {
        TaskSpec spec = FACTORY.read(body("""
                {"successThreshold":90,"successSoak":"PT30M",
                 "maintenanceWindows":[{"cron":"0 2 * * *","duration":"PT3H","zone":"Europe/Berlin"}]}"""));
        UpgradeTask t = new UpgradeTask("t1", "p1", "fw_1", TaskStatus.RUNNING, 0, Instant.parse("2026-01-01T00:00:00Z"),
                TaskFactoryTest.firmware("2.0", FirmwareStatus.ONLINE), spec);
        String json = Json.mapper().writeValueAsString(t);
        String stored = "\"successThreshold\":90,\"successSoak\":\"PT30M\",\"successAction\":\"NEXTGROUP\","
                + "\"maintenanceWindows\":[{\"cron\":\"0 2 * * *\",\"duration\":\"PT3H\",\"zone\":\"Europe/Berlin\"}]";
        assertThat(json).contains(stored);
        UpgradeTask back = Json.mapper().readValue(json, UpgradeTask.class);
        assertThat(back.spec().success()).isEqualTo(spec.success());
        assertThat(back.spec().windows()).isEqualTo(spec.windows());

        UpgradeTask old = Json.mapper().readValue(json.replace("," + stored, ""), UpgradeTask.class);
        assertThat(old.spec().success()).isEqualTo(StageSuccess.NONE);
        assertThat(old.spec().windows()).isEqualTo(MaintenanceWindows.ALWAYS);
        assertThat(Json.mapper().writeValueAsString(old)).as("an old task's JSON is unchanged").doesNotContain("success", "maintenance");
    }
}
