package io.otaedge.common.logging;

import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whether a service writes its access log and which share of exchanges it writes ({@code OTA_ACCESS_LOG},
 * {@code OTA_ACCESS_LOG_SAMPLE}), and the one logger both services write it to, {@value #LOGGER}, which
 * logback.xml sends through its own non-blocking asynchronous appender so an operator can route it apart.
 * Also checks {@code OTA_LOG_FORMAT} at start, which logback itself reads from the environment.
 *
 * @param enabled off: the access-log handlers are not even installed
 * @param sample  the share of exchanges logged, 0 to 1 (1: every one; 0: none)
 */
public record AccessLogSettings(boolean enabled, double sample) {

    public static final String LOGGER = "ota.access";
    public static final String KEY = "OTA_ACCESS_LOG";
    public static final String SAMPLE_KEY = "OTA_ACCESS_LOG_SAMPLE";
    public static final String FORMAT_KEY = "OTA_LOG_FORMAT";

    public static final AccessLogSettings OFF = new AccessLogSettings(false, 0);
    public static final AccessLogSettings EVERY = new AccessLogSettings(true, 1);

    public AccessLogSettings {
        if (!(sample >= 0 && sample <= 1)) {
            throw new ConfigException(SAMPLE_KEY, Double.toString(sample), "a number from 0 to 1");
        }
    }

    public static AccessLogSettings from(Settings s) {
        checkFormat(s.get(FORMAT_KEY).orElse("text"));
        boolean on = s.bool(KEY, true);
        String rate = s.string(SAMPLE_KEY, "1.0");
        double sample;
        try {
            sample = Double.parseDouble(rate.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(SAMPLE_KEY, rate, "a number from 0 to 1");
        }
        if (!(sample >= 0 && sample <= 1)) {
            throw new ConfigException(SAMPLE_KEY, rate, "a number from 0 to 1");
        }
        return new AccessLogSettings(on, sample);
    }

    /** logback.xml picks its appenders by this value: anything else would leave the logs without an appender. */
    static void checkFormat(String format) {
        if (!format.equals("text") && !format.equals("json")) {
            throw new ConfigException(FORMAT_KEY, format, "text or json");
        }
    }

    /** Whether the log is written at all: installed, and a sample above zero. */
    public boolean writes() {
        return enabled && sample > 0;
    }

    /** Whether this exchange is logged: decided once, at its start. */
    public boolean sampled() {
        return sample >= 1 || sample > 0 && ThreadLocalRandom.current().nextDouble() < sample;
    }
}
