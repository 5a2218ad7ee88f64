package io.otaedge.control.dialect.xiaozhi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Versions as 78/xiaozhi-esp32 main/ota.cc {@code ParseVersion}/{@code IsNewVersionAvailable} read them. */
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
            // stoi reads a leading number and ignores the rest: 2.0.0-rc1 is 2.0.0 to the device.
            "2.0.1-rc1, 2.0.0, true",
            "2.0.0-rc1, 2.0.0, false",
            "002.000.001, 2.0.0, true",
            // getline drops a trailing empty piece: 1.2. is 1.2.
            "1.2., 1.2, false",
    })
    void comparesLikeTheDevice(String offered, String current, boolean newer) {
        assertThat(XiaozhiVersion.isNewer(offered, current)).isEqualTo(newer);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2.0.0", "1..2", ".1", "1.0.a", "1.99999999999", "2147483648"})
    void piecesWithoutALeadingNumberOrBeyondIntAreUnreadable(String version) {
        assertThat(XiaozhiVersion.readable(version)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.0", "2.4.2", "1.2.", "2.0.0-rc1", "-1.0", "2147483647", ""})
    void whatStoiAcceptsIsReadable(String version) {
        assertThat(XiaozhiVersion.readable(version)).isTrue();
    }
}
