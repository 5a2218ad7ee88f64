package io.otaedge.edge.cell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import io.otaedge.edge.route.OneNetQuery;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cell cap's settings, and which downloads name a cell. */
class CellCapConfigTest {

    @Test
    void offByDefaultWithASixtySecondLease() {
        CellCap cap = CellCap.from(Settings.from(Map.of()));
        assertThat(cap.on()).isFalse();
        assertThat(cap.lease()).isEqualTo(Duration.ofSeconds(60));
        assertThat(cap.renewEvery()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void aNegativeCapOrAnEmptyLeaseStopsTheEdgeNamingTheKey() {
        assertThatThrownBy(() -> CellCap.from(Settings.from(Map.of("OTA_EDGE_CELL_CAP", "-1"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTA_EDGE_CELL_CAP");
        assertThatThrownBy(() -> CellCap.from(Settings.from(Map.of("OTA_EDGE_CELL_CAP", "2", "OTA_EDGE_CELL_LEASE", "PT0S"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTA_EDGE_CELL_LEASE");
    }

    @Test
    void oneNumberIsOnePoolPerCellWithATenSecondTailAndTheDefaultBands() {
        CellCap cap = CellCap.from(Settings.from(Map.of("OTA_EDGE_CELL_CAP", "3")));
        assertThat(cap.on()).isTrue();
        assertThat(cap.split()).isFalse();
        assertThat(cap.capOf(SignalBand.POOR)).isEqualTo(3);
        assertThat(cap.tail()).isEqualTo(Duration.ofSeconds(10));
        assertThat(cap.bands()).isEqualTo(new SignalBands(15, 10));
    }

    @Test
    void bandsNamedWithTheirCapsArePoolsOfTheirOwn() {
        CellCap cap = CellCap.from(Settings.from(Map.of("OTA_EDGE_CELL_CAP", "poor:1, good:50,medium:10",
                "OTA_EDGE_CELL_BANDS", "medium:-100,good:-85", "OTA_EDGE_CELL_TAIL", "PT5S")));
        assertThat(cap.on()).isTrue();
        assertThat(cap.split()).isTrue();
        assertThat(cap.capOf(SignalBand.GOOD)).isEqualTo(50);
        assertThat(cap.capOf(SignalBand.MEDIUM)).isEqualTo(10);
        assertThat(cap.capOf(SignalBand.POOR)).isEqualTo(1);
        assertThat(cap.bands()).isEqualTo(new SignalBands(-85, -100));
        assertThat(cap.tail()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aBandListMissingABandOrWithAZeroOrAStrangerStopsTheEdgeNamingTheKey() {
        for (String bad : new String[] {"good:50,medium:10", "good:50,medium:10,poor:0", "good:5,medium:1,poor:1,bad:2",
                "good:5,medium:1,poor:1,poor:2", "good=5", "good:x,medium:1,poor:1", "-3", "many"}) {
            assertThatThrownBy(() -> CellCap.from(Settings.from(Map.of("OTA_EDGE_CELL_CAP", bad))))
                    .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("OTA_EDGE_CELL_CAP");
        }
        for (String bad : new String[] {"good:10,medium:10", "good:15", "good:15,medium:10,poor:1", "strong:15,medium:1"}) {
            assertThatThrownBy(() -> CellCap.from(Settings.from(Map.of("OTA_EDGE_CELL_CAP", "2", "OTA_EDGE_CELL_BANDS", bad))))
                    .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("OTA_EDGE_CELL_BANDS");
        }
        assertThatThrownBy(() -> CellCap.from(Settings.from(Map.of("OTA_EDGE_CELL_CAP", "2", "OTA_EDGE_CELL_TAIL", "PT2M"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTA_EDGE_CELL_TAIL");
        assertThatThrownBy(() -> CellCap.from(Settings.from(Map.of("OTA_EDGE_CELL_CAP", "2", "OTA_EDGE_CELL_TAIL", "PT0S"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTA_EDGE_CELL_TAIL");
    }

    @Test
    void aLeaseShorterThanTheDefaultTailIsTheTail() {
        assertThat(CellCap.from(Settings.from(Map.of("OTA_EDGE_CELL_CAP", "1", "OTA_EDGE_CELL_LEASE", "PT1S"))).tail())
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theCellIsTheFirstWellFormedSid() {
        assertThat(OneNetQuery.sid("s_id=4600123")).isEqualTo("4600123");
        assertThat(OneNetQuery.sid("a=1&s_id=ab_C-9&s_id=x")).isEqualTo("ab_C-9");
        assertThat(OneNetQuery.sid("")).isNull();
        assertThat(OneNetQuery.sid("sid=1&s_id=")).isNull();
        assertThat(OneNetQuery.sid("s_id=%0d%0a")).isNull();
        assertThat(OneNetQuery.sid("s_id=" + "1".repeat(65))).isNull();
        assertThat(OneNetQuery.valid("s_id=" + "1".repeat(64))).isTrue();
        assertThat(OneNetQuery.valid("s_id=1%20")).isFalse();
    }
}
