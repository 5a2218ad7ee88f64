package io.otaedge.control.dialect;

import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import java.time.Duration;

/**
 * Settings of the dialects beyond OneNET, read once from {@link Settings}.
 *
 * @param upgradeTimeout  how long after its task was created a device may stay upgrading before Aliyun's
 *                        progress calls report it as failed ({@code OTA_UPGRADE_TIMEOUT}, default PT10M, as Aliyun documents)
 * @param internalSecret  shared secret of the internal decision endpoint the edge calls for LuatOS
 *                        ({@code OTA_INTERNAL_SECRET}); null = that endpoint is off
 */
public record DialectConfig(Duration upgradeTimeout, String internalSecret) {

    public static final String UPGRADE_TIMEOUT = "OTA_UPGRADE_TIMEOUT";
    public static final String INTERNAL_SECRET = "OTA_INTERNAL_SECRET";

    public DialectConfig {
        if (upgradeTimeout == null || upgradeTimeout.isNegative() || upgradeTimeout.isZero()) {
            throw new ConfigException(UPGRADE_TIMEOUT, String.valueOf(upgradeTimeout), "a positive ISO-8601 duration");
        }
        if (internalSecret != null && internalSecret.length() < 16) {
            throw new ConfigException(INTERNAL_SECRET, "(hidden)", "at least 16 characters");
        }
    }

    public static DialectConfig defaults() {
        return new DialectConfig(Duration.ofMinutes(10), null);
    }

    public static DialectConfig from(Settings s) {
        return new DialectConfig(s.duration(UPGRADE_TIMEOUT, Duration.ofMinutes(10)),
                s.get(INTERNAL_SECRET).filter(v -> !v.isBlank()).orElse(null));
    }

    @Override
    public String toString() {
        return "DialectConfig[upgradeTimeout=" + upgradeTimeout + ", internalSecret=" + (internalSecret == null ? "off" : "set") + "]";
    }
}
