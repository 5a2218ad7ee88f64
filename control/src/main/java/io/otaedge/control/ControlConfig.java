package io.otaedge.control;

import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import io.otaedge.control.dialect.xiaozhi.XiaozhiDefaults;
import io.otaedge.common.logging.AccessLogSettings;
import io.otaedge.control.limits.ControlLimits;
import java.time.Duration;

/**
 * Everything the control service needs to know at start-up, read once from {@link Settings}.
 *
 * @param deviceBind        address of the device-facing port ({@code OTA_CONTROL_BIND}, default 0.0.0.0)
 * @param devicePort        device-facing port ({@code OTA_CONTROL_PORT}, default 8081; 0 = any free port)
 * @param adminBind         address of the operator port ({@code OTA_ADMIN_BIND}, default 0.0.0.0)
 * @param adminPort         operator port ({@code OTA_ADMIN_PORT}, default 8082; 0 = any free port)
 * @param adminKey          bearer key of the admin API ({@code OTA_ADMIN_KEY}, required)
 * @param tokenTtl          download token lifetime ({@code OTA_TOKEN_TTL}, ISO-8601, default P2D)
 * @param edgePublicAddress the edge's public {@code host:port} handed to devices ({@code OTA_EDGE_PUBLIC_ADDRESS}, required)
 * @param maxFirmwareSize   largest accepted upload in bytes ({@code OTA_MAX_FIRMWARE_SIZE}, default 256 MiB)
 * @param maxJsonBodySize   largest accepted JSON request body in bytes ({@code OTA_MAX_JSON_BODY_SIZE}, default 1 MiB)
 * @param internalSecret    shared secret of the internal blob endpoint edges pull from ({@code OTA_INTERNAL_SECRET};
 *                          unset = endpoint off)
 * @param upgradeTimeout    how long a device may stay UPGRADING before it is reported as timed out
 *                          ({@code OTA_UPGRADE_TIMEOUT}, ISO-8601, default PT10M as Aliyun documents)
 * @param edgePublicIpAddress the edge's public {@code ip:port} for devices that cannot resolve names
 *                          (OneNET {@code cdn=false}; {@code OTA_EDGE_PUBLIC_IP_ADDRESS}, default = the public address)
 * @param catalogCacheTtl   how long a check may use a local copy of a product, its tasks and its package statuses
 *                          ({@code OTA_CATALOG_CACHE_TTL}, ISO-8601, default PT1S; PT0S = always read Redis). Changes
 *                          made through this instance apply at once; those made through another when its
 *                          {@link io.otaedge.control.cache.CatalogChanges} message arrives, within this time at worst
 * @param ioThreads         event-loop threads of both HTTP ports ({@code OTA_CONTROL_IO_THREADS}, 0 = one per core).
 *                          Reactor Netty's own default (at least four) doubles the context switches on a 2-core host
 * @param limits            timeouts, connection caps and request-size limits of both ports ({@link ControlLimits};
 *                          null = {@link ControlLimits#DEFAULTS})
 * @param xiaozhi           the websocket block xiaozhi products without their own get ({@code OTA_XIAOZHI_WEBSOCKET_URL},
 *                          {@code OTA_XIAOZHI_WEBSOCKET_TOKEN}; null = {@link XiaozhiDefaults#standard()})
 * @param accessLog         whether and how often both ports log their exchanges ({@code OTA_ACCESS_LOG}, on;
 *                          {@code OTA_ACCESS_LOG_SAMPLE}, 1.0; null = every exchange)
 * @param auditRetention    how long the audit trail keeps an entry ({@code OTA_AUDIT_RETENTION}, ISO-8601, default P90D;
 *                          null = the default)
 */
public record ControlConfig(String deviceBind, int devicePort, String adminBind, int adminPort, String adminKey,
                            Duration tokenTtl, String edgePublicAddress, long maxFirmwareSize, int maxJsonBodySize,
                            String internalSecret, Duration upgradeTimeout, String edgePublicIpAddress,
                            Duration catalogCacheTtl, int ioThreads, XiaozhiDefaults xiaozhi, ControlLimits limits,
                            AccessLogSettings accessLog, Duration auditRetention) {

    public static final String CONTROL_BIND = "OTA_CONTROL_BIND";
    public static final String CONTROL_PORT = "OTA_CONTROL_PORT";
    public static final String ADMIN_BIND = "OTA_ADMIN_BIND";
    public static final String ADMIN_PORT = "OTA_ADMIN_PORT";
    public static final String ADMIN_KEY = "OTA_ADMIN_KEY";
    public static final String TOKEN_TTL = "OTA_TOKEN_TTL";
    public static final String EDGE_PUBLIC_ADDRESS = "OTA_EDGE_PUBLIC_ADDRESS";
    public static final String MAX_FIRMWARE_SIZE = "OTA_MAX_FIRMWARE_SIZE";
    public static final String MAX_JSON_BODY_SIZE = "OTA_MAX_JSON_BODY_SIZE";
    public static final String INTERNAL_SECRET = "OTA_INTERNAL_SECRET";
    /** A shared secret shorter than this is guessable. */
    public static final int MIN_SECRET_LENGTH = 16;
    public static final String UPGRADE_TIMEOUT = "OTA_UPGRADE_TIMEOUT";
    public static final String EDGE_PUBLIC_IP_ADDRESS = "OTA_EDGE_PUBLIC_IP_ADDRESS";
    public static final String CATALOG_CACHE_TTL = "OTA_CATALOG_CACHE_TTL";
    public static final Duration DEFAULT_CATALOG_CACHE_TTL = Duration.ofSeconds(1);
    public static final String IO_THREADS = "OTA_CONTROL_IO_THREADS";
    public static final String AUDIT_RETENTION = "OTA_AUDIT_RETENTION";
    public static final Duration DEFAULT_AUDIT_RETENTION = Duration.ofDays(90);

    public ControlConfig {
        if (adminKey == null || adminKey.isBlank()) {
            throw new ConfigException(ADMIN_KEY + " is required: the bearer key operators send to the admin API");
        }
        if (edgePublicAddress == null || edgePublicAddress.isBlank()) {
            throw new ConfigException(EDGE_PUBLIC_ADDRESS
                    + " is required: the edge's public host:port that devices download from");
        }
        if (tokenTtl == null || tokenTtl.isZero() || tokenTtl.isNegative() || tokenTtl.toMillis() < 1) {
            throw new ConfigException(TOKEN_TTL, String.valueOf(tokenTtl), "a positive ISO-8601 duration");
        }
        if (maxFirmwareSize <= 0) {
            throw new ConfigException(MAX_FIRMWARE_SIZE, String.valueOf(maxFirmwareSize), "a positive number of bytes");
        }
        if (internalSecret != null && internalSecret.length() < MIN_SECRET_LENGTH) {
            throw new ConfigException(INTERNAL_SECRET, "(hidden)", "at least " + MIN_SECRET_LENGTH + " characters");
        }
        if (maxJsonBodySize <= 0) {
            throw new ConfigException(MAX_JSON_BODY_SIZE, String.valueOf(maxJsonBodySize), "a positive number of bytes");
        }
        if (upgradeTimeout == null) {
            upgradeTimeout = Duration.ofMinutes(10);
        }
        if (upgradeTimeout.isZero() || upgradeTimeout.isNegative()) {
            throw new ConfigException(UPGRADE_TIMEOUT, String.valueOf(upgradeTimeout), "a positive ISO-8601 duration");
        }
        if (edgePublicIpAddress == null || edgePublicIpAddress.isBlank()) {
            edgePublicIpAddress = edgePublicAddress;
        }
        if (catalogCacheTtl == null) {
            catalogCacheTtl = DEFAULT_CATALOG_CACHE_TTL;
        }
        if (catalogCacheTtl.isNegative()) {
            throw new ConfigException(CATALOG_CACHE_TTL, catalogCacheTtl.toString(), "an ISO-8601 duration, PT0S or longer");
        }
        if (ioThreads < 0) {
            throw new ConfigException(IO_THREADS, Integer.toString(ioThreads), "zero (one per core) or more");
        }
        if (xiaozhi == null) {
            xiaozhi = XiaozhiDefaults.standard();
        }
        if (limits == null) {
            limits = ControlLimits.DEFAULTS;
        }
        if (accessLog == null) {
            accessLog = AccessLogSettings.EVERY;
        }
        if (auditRetention == null) {
            auditRetention = DEFAULT_AUDIT_RETENTION;
        }
        if (auditRetention.isNegative() || auditRetention.toMillis() < 1000) {
            throw new ConfigException(AUDIT_RETENTION, auditRetention.toString(), "an ISO-8601 duration of a second or more");
        }
    }

    /** The configuration without the keys added for campaigns (their defaults apply). */
    public ControlConfig(String deviceBind, int devicePort, String adminBind, int adminPort, String adminKey,
                         Duration tokenTtl, String edgePublicAddress, long maxFirmwareSize, int maxJsonBodySize,
                         String internalSecret) {
        this(deviceBind, devicePort, adminBind, adminPort, adminKey, tokenTtl, edgePublicAddress, maxFirmwareSize,
                maxJsonBodySize, internalSecret, null, null, null, 0, null, null, null, null);
    }

    /** As above, without the internal secret (internal endpoints off). */
    public ControlConfig(String deviceBind, int devicePort, String adminBind, int adminPort, String adminKey,
                         Duration tokenTtl, String edgePublicAddress, long maxFirmwareSize, int maxJsonBodySize) {
        this(deviceBind, devicePort, adminBind, adminPort, adminKey, tokenTtl, edgePublicAddress, maxFirmwareSize,
                maxJsonBodySize, null);
    }

    public static ControlConfig from(Settings s) {
        return new ControlConfig(
                s.string(CONTROL_BIND, "0.0.0.0"),
                s.port(CONTROL_PORT, 8081),
                s.string(ADMIN_BIND, "0.0.0.0"),
                s.port(ADMIN_PORT, 8082),
                s.get(ADMIN_KEY).orElse(null),
                s.duration(TOKEN_TTL, Duration.ofDays(2)),
                s.get(EDGE_PUBLIC_ADDRESS).orElse(null),
                s.longValue(MAX_FIRMWARE_SIZE, 268_435_456L),
                s.integer(MAX_JSON_BODY_SIZE, 1_048_576),
                s.get(INTERNAL_SECRET).orElse(null),
                s.duration(UPGRADE_TIMEOUT, Duration.ofMinutes(10)),
                s.get(EDGE_PUBLIC_IP_ADDRESS).orElse(null),
                s.duration(CATALOG_CACHE_TTL, DEFAULT_CATALOG_CACHE_TTL),
                s.integer(IO_THREADS, 0),
                xiaozhi(s),
                ControlLimits.from(s),
                AccessLogSettings.from(s),
                s.duration(AUDIT_RETENTION, DEFAULT_AUDIT_RETENTION));
    }

    private static XiaozhiDefaults xiaozhi(Settings s) {
        String url = s.get(XiaozhiDefaults.WEBSOCKET_URL).orElse(null);
        try {
            return new XiaozhiDefaults(url, s.get(XiaozhiDefaults.WEBSOCKET_TOKEN).orElse(null));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(XiaozhiDefaults.WEBSOCKET_URL, url, e.getMessage());
        }
    }

    /** The event-loop count {@link #ioThreads} stands for. */
    public int eventLoops() {
        return ioThreads == 0 ? Runtime.getRuntime().availableProcessors() : ioThreads;
    }

    @Override
    public String toString() {
        // The admin key is a secret: never in a log line.
        return "ControlConfig[device=" + deviceBind + ":" + devicePort + ", admin=" + adminBind + ":" + adminPort
                + ", tokenTtl=" + tokenTtl + ", edgePublicAddress=" + edgePublicAddress
                + ", maxFirmwareSize=" + maxFirmwareSize + ", maxJsonBodySize=" + maxJsonBodySize
                + ", upgradeTimeout=" + upgradeTimeout + ", edgePublicIpAddress=" + edgePublicIpAddress
                + ", catalogCacheTtl=" + catalogCacheTtl + ", ioThreads=" + ioThreads
                + ", xiaozhiWebsocketUrl=" + xiaozhi.websocketUrl() + ", limits=" + limits + ", auditRetention=" + auditRetention + "]";
    }
}
