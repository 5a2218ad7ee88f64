package io.otaedge.control.dialect.xiaozhi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A product's xiaozhi server configuration, handed to every device in the OTA reply.
 *
 * @param websocket           the {@code websocket} block as devices read it ({@code url}, {@code token},
 *                            {@code version}), or null for the deployment's default ({@link XiaozhiDefaults})
 * @param mqtt                the optional {@code mqtt} block ({@code endpoint, client_id, username, password,
 *                            publish_topic, keepalive}); when present devices use MQTT instead of the websocket
 * @param timeZone            the IANA zone named in {@code server_time} (default Asia/Shanghai)
 * @param activationUrl       where users enter the activation code; the first line of {@code activation.message}
 * @param activationTimeoutMs {@code activation.timeout_ms}, or null for {@link #DEFAULT_ACTIVATION_TIMEOUT_MS}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record XiaozhiConfig(JsonNode websocket, JsonNode mqtt, String timeZone, String activationUrl,
                            Integer activationTimeoutMs) {

    public static final String DEFAULT_TIME_ZONE = "Asia/Shanghai";
    /** The firmware's own value when a reply carries none ({@code activation_timeout_ms_} in main/ota.h). */
    public static final int DEFAULT_ACTIVATION_TIMEOUT_MS = 30_000;

    public static XiaozhiConfig empty() {
        return new XiaozhiConfig(null, null, DEFAULT_TIME_ZONE, null, null);
    }

    public int activationTimeout() {
        return activationTimeoutMs == null ? DEFAULT_ACTIVATION_TIMEOUT_MS : activationTimeoutMs;
    }
}
