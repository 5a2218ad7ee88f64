package io.otaedge.control.ratelimit;

import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import java.time.Duration;

/**
 * How much one device, one source address and one address's wrong keys may cost this control instance.
 * Every limit is a token bucket held in this instance's memory (see docs/RELIABILITY.md for why not Redis);
 * a rate of 0 turns its limit off.
 *
 * @param devicePerMinute    check-like calls one device may make per minute, sustained ({@code OTA_RATE_DEVICE_PER_MINUTE})
 * @param deviceBurst        how many of them may come at once ({@code OTA_RATE_DEVICE_BURST})
 * @param addressPerSecond   device-API calls one source address may make per second, sustained
 *                           ({@code OTA_RATE_ADDRESS_PER_SECOND}); a carrier NAT address carries thousands of devices
 * @param addressBurst       how many of them may come at once ({@code OTA_RATE_ADDRESS_BURST})
 * @param adminFailures      wrong admin keys or internal secrets one address may send per window before it gets 429
 *                           ({@code OTA_ADMIN_AUTH_FAILURES})
 * @param adminFailureWindow that window ({@code OTA_ADMIN_AUTH_WINDOW}, ISO-8601)
 * @param trustedProxies     peers whose {@code X-Forwarded-For} names the device ({@code OTA_TRUSTED_PROXIES})
 */
public record RateLimits(int devicePerMinute, int deviceBurst, int addressPerSecond, int addressBurst,
                         int adminFailures, Duration adminFailureWindow, TrustedProxies trustedProxies) {

    public static final String DEVICE_PER_MINUTE = "OTA_RATE_DEVICE_PER_MINUTE";
    public static final String DEVICE_BURST = "OTA_RATE_DEVICE_BURST";
    public static final String ADDRESS_PER_SECOND = "OTA_RATE_ADDRESS_PER_SECOND";
    public static final String ADDRESS_BURST = "OTA_RATE_ADDRESS_BURST";
    public static final String ADMIN_AUTH_FAILURES = "OTA_ADMIN_AUTH_FAILURES";
    public static final String ADMIN_AUTH_WINDOW = "OTA_ADMIN_AUTH_WINDOW";
    public static final String TRUSTED_PROXIES = "OTA_TRUSTED_PROXIES";

    /** The documented defaults (README, docs/RELIABILITY.md). */
    public static final RateLimits DEFAULTS = new RateLimits(30, 10, 500, 5000, 10, Duration.ofMinutes(1),
            TrustedProxies.parse(TrustedProxies.LOOPBACK));

    public RateLimits {
        positiveOrZero(DEVICE_PER_MINUTE, devicePerMinute);
        positiveOrZero(ADDRESS_PER_SECOND, addressPerSecond);
        positiveOrZero(ADMIN_AUTH_FAILURES, adminFailures);
        if (devicePerMinute > 0 && deviceBurst < 1) {
            throw new ConfigException(DEVICE_BURST, Integer.toString(deviceBurst), "1 or more");
        }
        if (addressPerSecond > 0 && addressBurst < 1) {
            throw new ConfigException(ADDRESS_BURST, Integer.toString(addressBurst), "1 or more");
        }
        if (adminFailureWindow == null || adminFailureWindow.isZero() || adminFailureWindow.isNegative()) {
            throw new ConfigException(ADMIN_AUTH_WINDOW, String.valueOf(adminFailureWindow), "a positive ISO-8601 duration");
        }
    }

    public static RateLimits from(Settings s) {
        RateLimits d = DEFAULTS;
        String proxies = s.string(TRUSTED_PROXIES, TrustedProxies.LOOPBACK);
        TrustedProxies trusted;
        try {
            trusted = TrustedProxies.parse(proxies);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(TRUSTED_PROXIES, proxies, "comma-separated IP addresses or CIDR blocks (" + e.getMessage() + ")");
        }
        return new RateLimits(s.integer(DEVICE_PER_MINUTE, d.devicePerMinute), s.integer(DEVICE_BURST, d.deviceBurst),
                s.integer(ADDRESS_PER_SECOND, d.addressPerSecond), s.integer(ADDRESS_BURST, d.addressBurst),
                s.integer(ADMIN_AUTH_FAILURES, d.adminFailures), s.duration(ADMIN_AUTH_WINDOW, d.adminFailureWindow),
                trusted);
    }

    private static void positiveOrZero(String key, int value) {
        if (value < 0) {
            throw new ConfigException(key, Integer.toString(value), "0 (off) or more");
        }
    }
}
