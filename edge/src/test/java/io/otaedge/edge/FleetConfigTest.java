package io.otaedge.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The edge's progress, registry, origin-pull and TLS settings: defaults, and clear errors. */
class FleetConfigTest {

    private static EdgeConfig config(Map<String, String> env) {
        return EdgeConfig.from(Settings.from(env));
    }

    @Test
    void defaultsFlushEverySecondBeatEveryFiveAndLeaveOriginPullAndTlsOff() {
        EdgeConfig c = config(Map.of());
        assertThat(c.progressFlush()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.heartbeat()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.publicAddress()).isNull();
        assertThat(c.edgeId()).isNull();
        assertThat(c.origin().enabled()).isFalse();
        assertThat(c.tls().enabled()).isFalse();
    }

    @Test
    void anOriginNeedsAnHttpUrlAndALongEnoughSecretThatIsNeverShown() {
        EdgeConfig c = config(Map.of("OTA_EDGE_ORIGIN_URL", "http://control:8082/", "OTA_INTERNAL_SECRET", "0123456789abcdef"));
        assertThat(c.origin().url().toString()).isEqualTo("http://control:8082");
        assertThat(c.origin().toString()).doesNotContain("0123456789abcdef");
        assertThatThrownBy(() -> config(Map.of("OTA_EDGE_ORIGIN_URL", "http://control:8082")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTA_INTERNAL_SECRET");
        assertThatThrownBy(() -> config(Map.of("OTA_EDGE_ORIGIN_URL", "http://control:8082", "OTA_INTERNAL_SECRET", "short")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("16");
        assertThatThrownBy(() -> config(Map.of("OTA_EDGE_ORIGIN_URL", "control:8082", "OTA_INTERNAL_SECRET", "0123456789abcdef")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTA_EDGE_ORIGIN_URL");
    }

    @Test
    void zeroPeriodsAreRejected() {
        assertThatThrownBy(() -> config(Map.of("OTA_EDGE_PROGRESS_FLUSH", "PT0S")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTA_EDGE_PROGRESS_FLUSH");
        assertThatThrownBy(() -> config(Map.of("OTA_EDGE_HEARTBEAT", "PT0S")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTA_EDGE_HEARTBEAT");
    }
}
