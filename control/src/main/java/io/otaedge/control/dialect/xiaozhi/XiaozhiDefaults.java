package io.otaedge.control.dialect.xiaozhi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otaedge.common.json.Json;

/**
 * The {@code websocket} block a product without its own gets ({@code OTA_XIAOZHI_WEBSOCKET_URL},
 * {@code OTA_XIAOZHI_WEBSOCKET_TOKEN}). Without one the firmware falls back to MQTT with no endpoint and never
 * reaches a chat server, so every reply carries a block. The defaults are the server and token the firmware
 * itself was built with before it read them from this reply (78/xiaozhi-esp32 Kconfig {@code WEBSOCKET_URL},
 * {@code WEBSOCKET_ACCESS_TOKEN}, removed in 3404180a). {@code token} and {@code version} are always sent:
 * the device only ever overwrites what it stored, so an absent key would leave an old value in place.
 */
public record XiaozhiDefaults(String websocketUrl, String websocketToken) {

    public static final String WEBSOCKET_URL = "OTA_XIAOZHI_WEBSOCKET_URL";
    public static final String WEBSOCKET_TOKEN = "OTA_XIAOZHI_WEBSOCKET_TOKEN";
    public static final String DEFAULT_WEBSOCKET_URL = "wss://api.tenclass.net/xiaozhi/v1/";
    public static final String DEFAULT_WEBSOCKET_TOKEN = "test-token";
    /** The firmware's own protocol version ({@code version_} in websocket_protocol.h). */
    public static final int DEFAULT_WEBSOCKET_VERSION = 1;

    /** Null arguments take the defaults; a URL that is not ws:// or wss:// is refused. */
    public XiaozhiDefaults {
        websocketUrl = websocketUrl == null || websocketUrl.isBlank() ? DEFAULT_WEBSOCKET_URL : websocketUrl.trim();
        websocketToken = websocketToken == null ? DEFAULT_WEBSOCKET_TOKEN : websocketToken;
        if (!XiaozhiBlocks.isWebsocketUrl(websocketUrl)) {
            throw new IllegalArgumentException("a ws:// or wss:// URL");
        }
    }

    public static XiaozhiDefaults standard() {
        return new XiaozhiDefaults(null, null);
    }

    public JsonNode websocket() {
        ObjectNode block = Json.mapper().createObjectNode();
        block.put("url", websocketUrl);
        block.put("token", websocketToken);
        block.put("version", DEFAULT_WEBSOCKET_VERSION);
        return block;
    }
}
