package io.otaedge.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @Test
    void defaultsApplyWhenAKeyIsMissingOrBlank() {
        Settings s = Settings.from(Map.of("OTA_EDGE_PORT", " "));
        assertThat(s.port("OTA_EDGE_PORT", 8080)).isEqualTo(8080);
        assertThat(s.duration("OTA_TOKEN_TTL", Duration.ofDays(2))).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void typedValuesAreParsed() {
        Settings s = Settings.from(Map.of("P", "9000", "D", "PT2S", "B", "yes"));
        assertThat(s.port("P", 1)).isEqualTo(9000);
        assertThat(s.duration("D", Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.bool("B", false)).isTrue();
    }

    @Test
    void badValuesNameTheKeyAndTheValue() {
        Settings s = Settings.from(Map.of("OTA_TOKEN_TTL", "2 days", "OTA_EDGE_PORT", "70000"));
        assertThatThrownBy(() -> s.duration("OTA_TOKEN_TTL", Duration.ZERO))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("OTA_TOKEN_TTL='2 days'")
                .hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> s.port("OTA_EDGE_PORT", 0))
                .hasMessageContaining("OTA_EDGE_PORT='70000'");
    }

    @Test
    void environmentOverridesTheConfigFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ota.properties");
        Files.writeString(file, "OTA_EDGE_PORT=9001\nOTA_CONTROL_PORT=9002\n");
        Settings s = Settings.from(Map.of(Settings.CONFIG_FILE, file.toString(), "OTA_EDGE_PORT", "9100"));
        assertThat(s.port("OTA_EDGE_PORT", 0)).isEqualTo(9100);
        assertThat(s.port("OTA_CONTROL_PORT", 0)).isEqualTo(9002);
    }

    @Test
    void missingConfigFileIsAClearError() {
        assertThatThrownBy(() -> Settings.from(Map.of(Settings.CONFIG_FILE, "/nonexistent/ota.properties")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("OTA_CONFIG_FILE");
    }
}
