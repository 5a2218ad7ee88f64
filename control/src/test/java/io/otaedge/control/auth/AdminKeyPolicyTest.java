package io.otaedge.control.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otaedge.common.config.ConfigException;
import io.otaedge.control.ControlMain;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A placeholder, default or short {@code OTA_ADMIN_KEY} stops control at start with one line saying what to set
 * (what deploy/ shipped before: {@code dev-admin-key-CHANGE-ME}, {@code CHANGE-ME-PLACEHOLDER-admin-key});
 * a long random key, such as the standalone generates, starts.
 */
class AdminKeyPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev-admin-key-CHANGE-ME", "CHANGE-ME-PLACEHOLDER-admin-key", "changeme", "admin", "secret",
            "short-but-random-Xq3", "replace-me-with-a-real-key-please"})
    void placeholderDefaultOrShortKeysAreRefusedNamingWhatToSet(String key) {
        assertThatThrownBy(() -> AdminKeyPolicy.check(key)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("OTA_ADMIN_KEY").hasMessageContaining("openssl rand")
                .hasMessageNotContaining(key.length() >= 8 ? key : "\u0000");
    }

    @Test
    void aLongRandomKeyPasses() {
        assertThatNoException().isThrownBy(() -> AdminKeyPolicy.check("q8Jx2mV7tLr0Nw5Yc3Hs9Bd1Kf6Pz4Ua"));
    }

    @Test
    void controlMainExitsNonZeroWithOneLineWhenTheKeyIsAPlaceholder() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", System.getProperty("java.class.path"), ControlMain.class.getName()));
        pb.environment().put("OTA_ADMIN_KEY", "dev-admin-key-CHANGE-ME");
        pb.environment().put("OTA_EDGE_PUBLIC_ADDRESS", "edge.example:8080");
        pb.environment().put("OTA_REDIS_URI", "redis://127.0.0.1:1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains("configuration error: OTA_ADMIN_KEY is a placeholder or default value: set it to a random secret")
                .doesNotContain("dev-admin-key-CHANGE-ME").doesNotContain("Exception");
    }
}
