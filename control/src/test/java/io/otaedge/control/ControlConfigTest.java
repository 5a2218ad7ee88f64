package io.otaedge.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlConfigTest {

    static final Map<String, String> REQUIRED = Map.of("OTA_ADMIN_KEY", "k", "OTA_EDGE_PUBLIC_ADDRESS", "edge:8080");

    @Test
    void defaults() {
        ControlConfig c = ControlConfig.from(Settings.from(REQUIRED));
        assertThat(c.deviceBind()).isEqualTo("0.0.0.0");
        assertThat(c.devicePort()).isEqualTo(8081);
        assertThat(c.adminBind()).isEqualTo("0.0.0.0");
        assertThat(c.adminPort()).isEqualTo(8082);
        assertThat(c.tokenTtl()).isEqualTo(Duration.ofDays(2));
        assertThat(c.maxFirmwareSize()).isEqualTo(268_435_456L);
        assertThat(c.maxJsonBodySize()).isEqualTo(1_048_576);
        assertThat(c.edgePublicAddress()).isEqualTo("edge:8080");
        assertThat(c.ioThreads()).isZero();
        assertThat(c.eventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void ioThreadsSetTheEventLoopCountAndANegativeOneIsRejected() {
        ControlConfig c = ControlConfig.from(Settings.from(Map.of("OTA_ADMIN_KEY", "k", "OTA_EDGE_PUBLIC_ADDRESS", "e:1",
                "OTA_CONTROL_IO_THREADS", "3")));
        assertThat(c.eventLoops()).isEqualTo(3);
        assertThatThrownBy(() -> ControlConfig.from(Settings.from(Map.of("OTA_ADMIN_KEY", "k", "OTA_EDGE_PUBLIC_ADDRESS", "e:1",
                "OTA_CONTROL_IO_THREADS", "-1")))).isInstanceOf(ConfigException.class).hasMessageContaining("OTA_CONTROL_IO_THREADS");
    }

    @Test
    void everyKeyIsRead() {
        ControlConfig c = ControlConfig.from(Settings.from(Map.of("OTA_ADMIN_KEY", "k", "OTA_EDGE_PUBLIC_ADDRESS", "e:1",
                "OTA_CONTROL_BIND", "127.0.0.1", "OTA_CONTROL_PORT", "0", "OTA_ADMIN_BIND", "::1", "OTA_ADMIN_PORT", "9",
                "OTA_TOKEN_TTL", "PT30S", "OTA_MAX_FIRMWARE_SIZE", "1000", "OTA_MAX_JSON_BODY_SIZE", "2000")));
        assertThat(c).isEqualTo(new ControlConfig("127.0.0.1", 0, "::1", 9, "k", Duration.ofSeconds(30), "e:1", 1000, 2000, null));
    }

    @Test
    void aMissingAdminKeyIsAClearError() {
        assertThatThrownBy(() -> ControlConfig.from(Settings.from(Map.of("OTA_EDGE_PUBLIC_ADDRESS", "e:1"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTA_ADMIN_KEY");
    }

    @Test
    void aMissingEdgeAddressIsAClearError() {
        assertThatThrownBy(() -> ControlConfig.from(Settings.from(Map.of("OTA_ADMIN_KEY", "k"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTA_EDGE_PUBLIC_ADDRESS");
    }

    @Test
    void aZeroTokenTtlIsRejected() {
        assertThatThrownBy(() -> ControlConfig.from(Settings.from(Map.of("OTA_ADMIN_KEY", "k", "OTA_EDGE_PUBLIC_ADDRESS", "e:1",
                "OTA_TOKEN_TTL", "PT0S")))).isInstanceOf(ConfigException.class).hasMessageContaining("OTA_TOKEN_TTL");
    }

    @Test
    void theAdminKeyNeverAppearsInToString() {
        assertThat(ControlConfig.from(Settings.from(Map.of("OTA_ADMIN_KEY", "s3cret", "OTA_EDGE_PUBLIC_ADDRESS", "e:1"))).toString())
                .doesNotContain("s3cret");
    }

    @Test
    void aShortInternalSecretIsRejectedAndNeverShown() {
        assertThatThrownBy(() -> ControlConfig.from(Settings.from(Map.of("OTA_ADMIN_KEY", "k", "OTA_EDGE_PUBLIC_ADDRESS", "e:1",
                "OTA_INTERNAL_SECRET", "short")))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("OTA_INTERNAL_SECRET").hasMessageNotContaining("short");
        ControlConfig c = ControlConfig.from(Settings.from(Map.of("OTA_ADMIN_KEY", "k", "OTA_EDGE_PUBLIC_ADDRESS", "e:1",
                "OTA_INTERNAL_SECRET", "a-long-enough-internal-secret")));
        assertThat(c.internalSecret()).isEqualTo("a-long-enough-internal-secret");
        assertThat(c.toString()).doesNotContain("a-long-enough-internal-secret");
    }

    @Test
    void xiaozhisDefaultWebsocketIsTheFirmwaresOwnUnlessConfigured() {
        ControlConfig plain = ControlConfig.from(Settings.from(Map.of("OTA_ADMIN_KEY", "k", "OTA_EDGE_PUBLIC_ADDRESS", "e:1")));
        assertThat(plain.xiaozhi().websocketUrl()).isEqualTo("wss://api.tenclass.net/xiaozhi/v1/");
        assertThat(plain.xiaozhi().websocketToken()).isEqualTo("test-token");
        ControlConfig set = ControlConfig.from(Settings.from(Map.of("OTA_ADMIN_KEY", "k", "OTA_EDGE_PUBLIC_ADDRESS", "e:1",
                "OTA_XIAOZHI_WEBSOCKET_URL", "ws://chat.example:8000/xiaozhi/v1/", "OTA_XIAOZHI_WEBSOCKET_TOKEN", "secret-1")));
        assertThat(set.xiaozhi().websocket().toString())
                .isEqualTo("{\"url\":\"ws://chat.example:8000/xiaozhi/v1/\",\"token\":\"secret-1\",\"version\":1}");
        assertThatThrownBy(() -> ControlConfig.from(Settings.from(Map.of("OTA_ADMIN_KEY", "k", "OTA_EDGE_PUBLIC_ADDRESS", "e:1",
                "OTA_XIAOZHI_WEBSOCKET_URL", "http://chat.example/")))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("OTA_XIAOZHI_WEBSOCKET_URL");
    }
}
