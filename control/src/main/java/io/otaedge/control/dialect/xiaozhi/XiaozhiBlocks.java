package io.otaedge.control.dialect.xiaozhi;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@code websocket} or {@code mqtt} block may hold, judged by how the firmware stores it
 * (78/xiaozhi-esp32 main/ota.cc, main/settings.cc): each string or number member is written to NVS under its
 * own name with {@code ESP_ERROR_CHECK}, so a name longer than NVS' 15 characters or a string over its 4000
 * bytes aborts the device on every check; other types are silently skipped. Numbers are read as {@code int}.
 * The protocols then need {@code websocket.url} (ws:// or wss://) and {@code mqtt.endpoint}.
 */
final class XiaozhiBlocks {

    static final int MAX_KEY_LENGTH = 15;
    static final int MAX_STRING_BYTES = 3999;

    private XiaozhiBlocks() {
    }

    static boolean isWebsocketUrl(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        return (u.startsWith("ws://") && u.length() > 5) || (u.startsWith("wss://") && u.length() > 6);
    }

    /** The block as given, or a 400 naming what the firmware could not store or use. */
    static JsonNode validate(String name, JsonNode block) {
        for (Iterator<Map.Entry<String, JsonNode>> it = block.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
                throw ApiException.badRequest(name + " member names are 1 to " + MAX_KEY_LENGTH
                        + " characters (the device stores each under its name in NVS): '" + key + "'");
            }
            if (v.isTextual()) {
                if (v.asText().getBytes(StandardCharsets.UTF_8).length > MAX_STRING_BYTES) {
                    throw ApiException.badRequest(name + "." + key + " is longer than " + MAX_STRING_BYTES + " bytes");
                }
            } else if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw ApiException.badRequest(name + "." + key + " must be a string or a 32-bit integer (the device stores only those)");
            }
        }
        if ("websocket".equals(name)) {
            JsonNode url = block.get("url");
            if (url == null || !url.isTextual() || !isWebsocketUrl(url.asText())) {
                throw ApiException.badRequest("websocket.url must be a ws:// or wss:// URL");
            }
            JsonNode version = block.get("version");
            if (version != null && !version.isIntegralNumber()) {
                throw ApiException.badRequest("websocket.version must be an integer (the device reads it as a number)");
            }
        } else {
            JsonNode endpoint = block.get("endpoint");
            if (endpoint == null || !endpoint.isTextual() || endpoint.asText().isBlank()) {
                throw ApiException.badRequest("mqtt.endpoint is required (host:port)");
            }
            JsonNode keepalive = block.get("keepalive");
            if (keepalive != null && !keepalive.isIntegralNumber()) {
                throw ApiException.badRequest("mqtt.keepalive must be an integer (seconds)");
            }
        }
        return block;
    }
}
