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
