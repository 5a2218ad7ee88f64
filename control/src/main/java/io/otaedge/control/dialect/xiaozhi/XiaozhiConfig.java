package io.otaedge.control.dialect.xiaozhi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A product's xiaozhi server configuration, handed to every device in the OTA reply.
 *
 * @param websocket     the {@code websocket} block as devices read it ({@code url}, {@code token}, {@code version}), or null
 * @param mqtt          the optional {@code mqtt} block ({@code endpoint, client_id, username, password,
 *                      publish_topic, keepalive}); when present devices use MQTT instead of the websocket
 * @param timeZone      the IANA zone named in {@code server_time} (default Asia/Shanghai)
 * @param activationUrl where users enter the activation code; the first line of {@code activation.message}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record XiaozhiConfig(JsonNode websocket, JsonNode mqtt, String timeZone, String activationUrl) {

    public static final String DEFAULT_TIME_ZONE = "Asia/Shanghai";

    public static XiaozhiConfig empty() {
        return new XiaozhiConfig(null, null, DEFAULT_TIME_ZONE, null);
    }
}
