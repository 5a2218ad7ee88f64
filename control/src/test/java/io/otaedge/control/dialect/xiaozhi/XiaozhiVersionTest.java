package io.otaedge.control.dialect.xiaozhi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class XiaozhiVersionTest {

    @ParameterizedTest
    @CsvSource({
            "1.1.0, 1.0.9, true",
            "1.10.0, 1.9.0, true",
            "1.0.0.1, 1.0.0, true",
            "1.0.0, 1.0.0, false",
            "1.0.0, 1.0.0.1, false",
            "0.9.0, 1.0.0, false",
            "1.0.a, 1.0.0, false",
    })
    void comparesLikeTheDevice(String offered, String current, boolean newer) {
        assertThat(XiaozhiVersion.isNewer(offered, current)).isEqualTo(newer);
    }
}
