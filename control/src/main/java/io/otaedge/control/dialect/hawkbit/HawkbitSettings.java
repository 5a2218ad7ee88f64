package io.otaedge.control.dialect.hawkbit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.otaedge.control.task.Jitter;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * A product's (a tenant's) DDI settings, set through {@code PUT /admin/v1/products/{productId}/hawkbit}.
 *
 * @param pollingSleep     {@code config.polling.sleep} handed to devices, {@code HH:MM:SS} (SWUpdate calls a poll
 *                         reply without it malformed); default {@code 00:05:00}, hawkBit's own default
 * @param targetTokenAuth  accept {@code Authorization: TargetToken <token>} (a token per device)
 * @param gatewayTokenAuth accept {@code Authorization: GatewayToken <token>} (one token for the whole product)
 * @param baseUrl          the scheme and authority devices reach this service at, for the {@code _links} of the
 *                         replies ({@code https://ota.example.com}); null = {@code http://} + the request's {@code Host}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record HawkbitSettings(String pollingSleep, boolean targetTokenAuth, boolean gatewayTokenAuth, String baseUrl) {

    static final String DEFAULT_SLEEP = "00:05:00";
    /** The longest sleep {@code HH:MM:SS} can say. */
    private static final int MAX_SLEEP = 99 * 3600 + 59 * 60 + 59;
    private static final Pattern SLEEP = Pattern.compile("[0-9]{2}:[0-5][0-9]:[0-5][0-9]");

    /** Nothing enabled: without a token mode a product answers every DDI call 401. */
    static final HawkbitSettings DEFAULT = new HawkbitSettings(DEFAULT_SLEEP, false, false, null);

    @JsonCreator
    HawkbitSettings {
        pollingSleep = pollingSleep == null ? DEFAULT_SLEEP : pollingSleep;
    }

    /**
     * The polling sleep handed to one device: the configured sleep moved by the device's own jitter ({@link Jitter},
     * ±20 %, stable per product and device) so a fleet does not poll in the same second; for a device told to come
     * back in {@code hintSeconds} (a rollout-rate hold, a retry wait; 0 = none) the sooner of the two, so a held
     * device neither waits past its turn nor polls more often than the hint asks.
     */
    String sleepFor(String productId, String deviceId, int hintSeconds) {
        int configured = Integer.parseInt(pollingSleep.substring(0, 2)) * 3600
                + Integer.parseInt(pollingSleep.substring(3, 5)) * 60 + Integer.parseInt(pollingSleep.substring(6, 8));
        int s = Jitter.around(configured, productId, deviceId);
        if (hintSeconds > 0) {
            s = Math.min(s, hintSeconds);
        }
        s = Math.max(1, Math.min(s, MAX_SLEEP));
        return String.format(java.util.Locale.ROOT, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    /** Null when valid, else what is wrong (for the admin API's 400). */
    String problem() {
        if (!SLEEP.matcher(pollingSleep).matches() || pollingSleep.equals("00:00:00")) {
            return "pollingSleep must be HH:MM:SS and not 00:00:00";
        }
        if (baseUrl != null) {
            try {
                URI u = new URI(baseUrl);
                if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
                        || (u.getPath() != null && !u.getPath().isEmpty()) || u.getQuery() != null) {
                    return "baseUrl must be http(s)://host[:port] without a path";
                }
            } catch (java.net.URISyntaxException e) {
                return "baseUrl is not a URL";
            }
        }
        return null;
    }
}
