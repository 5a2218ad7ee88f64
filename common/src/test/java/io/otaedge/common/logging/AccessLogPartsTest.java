package io.otaedge.common.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The access logs' shared rules: which request ids are kept, what of a token shows, the keys and their checks. */
class AccessLogPartsTest {

    @Test
    void aSaneRequestIdIsKeptAndAnythingElseReplaced() {
        assertThat(RequestId.acceptOrMake("edge-7f3a:12_x.y")).isEqualTo("edge-7f3a:12_x.y");
        for (String insane : new String[] {null, "", "a b", "a\"b", "x".repeat(65), "ü", "a\nb"}) {
            String made = RequestId.acceptOrMake(insane);
            assertThat(made).hasSize(16).matches("[0-9A-Za-z]{16}");
        }
        assertThat(RequestId.make()).isNotEqualTo(RequestId.make());
    }

    @Test
    void aTokenShowsItsFirstSixCharactersAtMost() {
        assertThat(Redaction.token("ota_0123456789abcdefghij")).isEqualTo("ota_01…");
        assertThat(Redaction.token("ota")).isEqualTo("ota…");
        assertThat(Redaction.path("/ota/south/download/ota_0123456789abcdefghij/check"))
                .isEqualTo("/ota/south/download/ota_01…/check");
        assertThat(Redaction.path("/ota/download/ota_0123456789abcdefghij")).isEqualTo("/ota/download/ota_01…");
        assertThat(Redaction.path("/admin/v1/products/p1")).isEqualTo("/admin/v1/products/p1");
    }

    @Test
    void theKeysDefaultToEveryExchangeAndRefuseNonsense() {
        assertThat(AccessLogSettings.from(Settings.from(Map.of()))).isEqualTo(AccessLogSettings.EVERY);
        AccessLogSettings off = AccessLogSettings.from(Settings.from(Map.of("OTA_ACCESS_LOG", "off")));
        assertThat(off.writes()).isFalse();
        AccessLogSettings none = AccessLogSettings.from(Settings.from(Map.of("OTA_ACCESS_LOG_SAMPLE", "0")));
        assertThat(none.writes()).isFalse();
        assertThat(none.sampled()).isFalse();
        assertThat(AccessLogSettings.from(Settings.from(Map.of("OTA_ACCESS_LOG_SAMPLE", "0.25"))).sample()).isEqualTo(0.25);
        assertThatThrownBy(() -> AccessLogSettings.from(Settings.from(Map.of("OTA_ACCESS_LOG_SAMPLE", "2"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTA_ACCESS_LOG_SAMPLE");
        assertThatThrownBy(() -> AccessLogSettings.from(Settings.from(Map.of("OTA_LOG_FORMAT", "xml"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("text or json");
    }
}
