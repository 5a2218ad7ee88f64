package io.otaedge.control.limits;

import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import java.time.Duration;

/**
 * What control's two ports allow one client: how long a request may take to arrive, how many connections a
 * port holds, and how large each client-controlled part of a request may be. Read once at start-up.
 *
 * @param headerTimeout      a request head must be complete this long after its first byte ({@code OTA_CONTROL_HEADER_TIMEOUT})
 * @param bodyTimeout        a request body must bring {@link #BODY_PROGRESS_BYTES} (or end) within each such period
 *                           ({@code OTA_CONTROL_BODY_TIMEOUT}): progress over time, so a slow link uploading a large
 *                           firmware is a customer while a byte every few seconds is not
 * @param idleTimeout        a kept-alive connection with no request in progress is closed after this ({@code OTA_CONTROL_IDLE_TIMEOUT})
 * @param deviceConnections  open connections the device port holds; more are closed at once ({@code OTA_CONTROL_MAX_CONNECTIONS})
 * @param adminConnections   the same for the admin port ({@code OTA_ADMIN_MAX_CONNECTIONS})
 * @param maxUriLength       longest request-target, in characters ({@code OTA_CONTROL_MAX_URI_LENGTH}; longer: 414)
 * @param maxHeaderSize      largest header block, in bytes ({@code OTA_CONTROL_MAX_HEADER_SIZE}; larger: 431)
 * @param maxHeaders         most header fields ({@code OTA_CONTROL_MAX_HEADERS}; more: 431)
 * @param maxQueryParameters most query parameters ({@code OTA_CONTROL_MAX_QUERY_PARAMETERS}; more: 400)
 * @param maxJsonDepth       deepest nesting of a JSON body ({@code OTA_CONTROL_MAX_JSON_DEPTH}; deeper: 400)
 * @param maxJsonArrayLength longest array in a JSON body ({@code OTA_CONTROL_MAX_JSON_ARRAY_LENGTH}; longer: 400)
 */
public record ControlLimits(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int deviceConnections,
                            int adminConnections, int maxUriLength, int maxHeaderSize, int maxHeaders,
                            int maxQueryParameters, int maxJsonDepth, int maxJsonArrayLength) {

    public static final String HEADER_TIMEOUT = "OTA_CONTROL_HEADER_TIMEOUT";
    public static final String BODY_TIMEOUT = "OTA_CONTROL_BODY_TIMEOUT";
    public static final String IDLE_TIMEOUT = "OTA_CONTROL_IDLE_TIMEOUT";
    public static final String DEVICE_CONNECTIONS = "OTA_CONTROL_MAX_CONNECTIONS";
    public static final String ADMIN_CONNECTIONS = "OTA_ADMIN_MAX_CONNECTIONS";
    public static final String MAX_URI_LENGTH = "OTA_CONTROL_MAX_URI_LENGTH";
    public static final String MAX_HEADER_SIZE = "OTA_CONTROL_MAX_HEADER_SIZE";
    public static final String MAX_HEADERS = "OTA_CONTROL_MAX_HEADERS";
    public static final String MAX_QUERY_PARAMETERS = "OTA_CONTROL_MAX_QUERY_PARAMETERS";
    public static final String MAX_JSON_DEPTH = "OTA_CONTROL_MAX_JSON_DEPTH";
    public static final String MAX_JSON_ARRAY_LENGTH = "OTA_CONTROL_MAX_JSON_ARRAY_LENGTH";

    /** The progress a body must make within each {@link #bodyTimeout}. */
    public static final int BODY_PROGRESS_BYTES = 1024;

    public static final ControlLimits DEFAULTS = new ControlLimits(Duration.ofSeconds(20), Duration.ofSeconds(30),
            Duration.ofSeconds(120), 10_000, 1_000, 4096, 8192, 64, 64, 32, 10_000);

    public ControlLimits {
        positive(HEADER_TIMEOUT, headerTimeout);
        positive(BODY_TIMEOUT, bodyTimeout);
        positive(IDLE_TIMEOUT, idleTimeout);
        atLeast(DEVICE_CONNECTIONS, deviceConnections, 1);
        atLeast(ADMIN_CONNECTIONS, adminConnections, 1);
        // Below these, the requests the published device clients send would be refused.
        atLeast(MAX_URI_LENGTH, maxUriLength, 256);
        atLeast(MAX_HEADER_SIZE, maxHeaderSize, 1024);
        atLeast(MAX_HEADERS, maxHeaders, 16);
        atLeast(MAX_QUERY_PARAMETERS, maxQueryParameters, 16);
        atLeast(MAX_JSON_DEPTH, maxJsonDepth, 4);
        atLeast(MAX_JSON_ARRAY_LENGTH, maxJsonArrayLength, 20);
    }

    public static ControlLimits from(Settings s) {
        ControlLimits d = DEFAULTS;
        return new ControlLimits(
                s.duration(HEADER_TIMEOUT, d.headerTimeout),
                s.duration(BODY_TIMEOUT, d.bodyTimeout),
                s.duration(IDLE_TIMEOUT, d.idleTimeout),
                s.integer(DEVICE_CONNECTIONS, d.deviceConnections),
                s.integer(ADMIN_CONNECTIONS, d.adminConnections),
                s.integer(MAX_URI_LENGTH, d.maxUriLength),
                s.integer(MAX_HEADER_SIZE, d.maxHeaderSize),
                s.integer(MAX_HEADERS, d.maxHeaders),
                s.integer(MAX_QUERY_PARAMETERS, d.maxQueryParameters),
                s.integer(MAX_JSON_DEPTH, d.maxJsonDepth),
                s.integer(MAX_JSON_ARRAY_LENGTH, d.maxJsonArrayLength));
    }

    private static void positive(String key, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new ConfigException(key, String.valueOf(d), "a positive ISO-8601 duration");
        }
    }

    private static void atLeast(String key, int value, int min) {
        if (value < min) {
            throw new ConfigException(key, Integer.toString(value), "at least " + min);
        }
    }
}
