package io.otaedge.control.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.progress.ServedBytes;
import io.otaedge.control.task.DeviceTaskState;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one derivation the reads share: served bytes show a waiting device as DOWNLOADING, nothing else. */
class ServedDownloadTest {

    @Test
    void onlyAWaitingDeviceThatWasServedBytesCountsAsDownloading() {
        ServedBytes some = new ServedBytes(10, 10);
        assertThat(ServedDownload.state(DeviceTaskState.TO_BE_UPGRADED, some)).isEqualTo(DeviceTaskState.DOWNLOADING);
        assertThat(ServedDownload.state(DeviceTaskState.TO_BE_UPGRADED, null)).isEqualTo(DeviceTaskState.TO_BE_UPGRADED);
        assertThat(ServedDownload.state(DeviceTaskState.TO_BE_UPGRADED, ServedBytes.NONE)).isEqualTo(DeviceTaskState.TO_BE_UPGRADED);
        for (DeviceTaskState s : EnumSet.complementOf(EnumSet.of(DeviceTaskState.TO_BE_UPGRADED))) {
            assertThat(ServedDownload.state(s, some)).as("a device %s keeps its state", s).isEqualTo(s);
        }
    }

    @Test
    void theStepIsTheShareServedByTheHighestOffsetAndStaysBelowAHundred() {
        assertThat(ServedDownload.step(new ServedBytes(1500, 3000), 4000)).isEqualTo(75);
        assertThat(ServedDownload.step(new ServedBytes(8000, 4000), 4000)).as("only the device says it is complete").isEqualTo(99);
        assertThat(ServedDownload.step(new ServedBytes(5, 5), 0)).isZero();
    }

    @Test
    void aRowIsCopiedWithStateStepAndDescriptionAndTheStoredRowIsLeftAlone() {
        Map<String, String> stored = Map.of("deviceId", "1", "state", "TO_BE_UPGRADED", "step", "0", "offeredAt", "5");
        Map<String, String> shown = ServedDownload.apply(stored, new ServedBytes(100, 500), 1000);
        assertThat(shown).containsEntry("state", "DOWNLOADING").containsEntry("step", "50")
                .containsEntry("desc", ServedDownload.DESC).containsEntry("offeredAt", "5").containsEntry("deviceId", "1");
        assertThat(stored).containsEntry("state", "TO_BE_UPGRADED").doesNotContainKey("desc");
        Map<String, String> failed = Map.of("deviceId", "2", "state", "FAILED", "step", "-1");
        assertThat(ServedDownload.apply(failed, new ServedBytes(100, 500), 1000)).isSameAs(failed);
    }

    @Test
    void aStandingIsDerivedTheSameWay() {
        DeviceProgress waiting = new DeviceProgress("p", "d", "t", 1, "default", "2.0", "1.0", DeviceTaskState.TO_BE_UPGRADED,
                0, "", null, null, 1, 0, 1, 1, 1, false, 0);
        DeviceProgress shown = ServedDownload.apply(waiting, new ServedBytes(30, 30), 100);
        assertThat(shown.state()).isEqualTo(DeviceTaskState.DOWNLOADING);
        assertThat(shown.step()).isEqualTo(30);
        assertThat(shown.desc()).isEqualTo(ServedDownload.DESC);
        assertThat(shown.timedOut()).isFalse();
        assertThat(ServedDownload.apply(waiting, ServedBytes.NONE, 100)).isSameAs(waiting);
    }
}
