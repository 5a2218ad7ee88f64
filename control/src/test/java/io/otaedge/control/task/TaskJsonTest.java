package io.otaedge.control.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The task's JSON stays the flat object it was before tasks were typed: values written by that version (the
 * two strings below were produced by it, {@code Json.string} of a 28-component {@code UpgradeTask}) load into
 * the typed task and are written back byte for byte, so a running deployment upgrades without a migration
 * and the admin API's task view is unchanged.
 */
class TaskJsonTest {

    /** Every field set, none at its default, a creation time with microseconds. */
    static final String FULL = """
            {"id":"task_A","productId":"p1","firmwareId":"fw_A","type":2,"sourceVersions":["1.0","1.1"],\
            "devices":["d1","d2"],"signal":-90,"power":20,"retry":5,"interval":30,"status":"PAUSED",\
            "createdAt":"2024-05-06T07:08:09.123456Z","firmware":{"id":"fw_A","productId":"p1","version":"2.0",\
            "module":"default","fileName":"a.bin","size":100,"md5":"m","sha256":"s","createdAt":"2024-01-01T00:00:00Z",\
            "status":"ONLINE","packageType":"FULL"},"macRanges":[{"from":"00:00:00:00:00:01","to":"00:00:00:00:00:ff"}],\
            "manufacturers":["acme"],"models":["m1"],"stages":[1.0,10.5,100.0],"stage":1,"autoAdvance":true,\
            "failureThreshold":20,"minSample":7,"mode":"CONFIRM","startAt":"2024-05-06T00:00:00Z",\
            "endAt":"2024-06-06T00:00:00Z","autoAdd":false,"enforceThresholds":true,"deltaOnly":true,"rollback":true}""";

    /** A task as MXCHIP FOG's files made them: the first campaign features only, no threshold, no window. */
    static final String FOG_STYLE = """
            {"id":"task_B","productId":"p1","firmwareId":"fw_A","type":1,"sourceVersions":[],"devices":[],"signal":0,\
            "power":0,"retry":3,"interval":60,"status":"RUNNING","createdAt":"2024-05-06T07:08:09Z","firmware":{"id":"fw_A",\
            "productId":"p1","version":"2.0","module":"default","fileName":"a.bin","size":100,"md5":"m","sha256":"s",\
            "createdAt":"2024-01-01T00:00:00Z","status":"ONLINE","packageType":"FULL"},"macRanges":[],"manufacturers":[],\
            "models":[],"stages":[100.0],"stage":0,"autoAdvance":false,"minSample":0,"mode":"COMPELLENT","autoAdd":true,\
            "enforceThresholds":false,"deltaOnly":false,"rollback":false}""";

    static UpgradeTask load(String json) throws Exception {
        return Json.mapper().readValue(json, UpgradeTask.class);
    }

    @Test
    void aFullRecordLoadsIntoItsTypedGroupsAndIsWrittenBackByteForByte() throws Exception {
        UpgradeTask t = load(FULL);

        assertThat(t.id()).isEqualTo("task_A");
        assertThat(t.status()).isEqualTo(TaskStatus.PAUSED);
        assertThat(t.stage()).isEqualTo(1);
        assertThat(t.createdAt()).isEqualTo(Instant.parse("2024-05-06T07:08:09.123456Z"));
        assertThat(t.firmware().id()).isEqualTo("fw_A");
        TaskSpec s = t.spec();
        assertThat(s.targeting()).isEqualTo(new Targeting(List.of("1.0", "1.1"), List.of("d1", "d2"),
                List.of(new MacRange("00:00:00:00:00:01", "00:00:00:00:00:ff")), List.of("acme"), List.of("m1"), false));
        assertThat(s.rollout()).isEqualTo(new RolloutPlan(List.of(1.0, 10.5, 100.0), true, 20, 7));
        assertThat(s.schedule()).isEqualTo(new Schedule(Instant.parse("2024-05-06T00:00:00Z"), Instant.parse("2024-06-06T00:00:00Z")));
        assertThat(s.offer()).isEqualTo(new Offer(UpgradeType.SOTA, UpgradeMode.CONFIRM, true, true));
        assertThat(s.hints()).isEqualTo(new DeviceHints(-90, 20, true, 5, 30));

        assertThat(Json.string(t)).isEqualTo(FULL);
    }

    @Test
    void aFogStyleRecordIsWrittenBackByteForByte() throws Exception {
        UpgradeTask t = load(FOG_STYLE);

        assertThat(t.spec().schedule()).isEqualTo(Schedule.ALWAYS);
        assertThat(t.spec().rollout().failureThreshold()).isNull();
        assertThat(Json.string(t)).isEqualTo(FOG_STYLE);
    }

    @Test
    void aRecordFromBeforeTheCampaignFieldsTakesTheMeaningTheyHadThen() throws Exception {
        String old = """
                {"id":"task_C","productId":"p1","firmwareId":"fw_A","type":1,"sourceVersions":["1.0"],"devices":[],\
                "signal":0,"power":0,"retry":3,"interval":60,"status":"RUNNING","createdAt":"2024-05-06T07:08:09Z",\
                "firmware":{"id":"fw_A","productId":"p1","version":"2.0","module":"default","fileName":"a.bin","size":100,\
                "md5":"m","sha256":"s","createdAt":"2024-01-01T00:00:00Z"}}""";

        TaskSpec s = load(old).spec();

        assertThat(s.targeting()).isEqualTo(new Targeting(List.of("1.0"), List.of(), List.of(), List.of(), List.of(), true));
        assertThat(s.rollout()).isEqualTo(new RolloutPlan(List.of(100.0), false, null, 0));
        assertThat(s.schedule()).isEqualTo(Schedule.ALWAYS);
        assertThat(s.offer()).isEqualTo(new Offer(UpgradeType.FOTA, UpgradeMode.COMPELLENT, false, false));
    }

    @Test
    void theScheduleHoldsFromItsStartUntilJustBeforeItsEnd() {
        Schedule s = new Schedule(Instant.parse("2024-05-06T00:00:00Z"), Instant.parse("2024-06-06T00:00:00Z"));

        assertThat(s.contains(Instant.parse("2024-05-05T23:59:59.999Z"))).isFalse();
        assertThat(s.contains(Instant.parse("2024-05-06T00:00:00Z"))).isTrue();
        assertThat(s.contains(Instant.parse("2024-06-05T23:59:59.999Z"))).isTrue();
        assertThat(s.contains(Instant.parse("2024-06-06T00:00:00Z"))).isFalse();
        assertThat(Schedule.ALWAYS.contains(Instant.EPOCH)).isTrue();
    }
}
