package io.otaedge.control.dialect.xiaozhi;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.control.catalog.Names;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;
import java.util.Locale;

/**
 * The OTA request's headers and body, validated as the seed requires: {@code Device-Id},
 * {@code Client-Id}, {@code User-Agent} ({@code <board>/<version>}) and {@code Activation-Version}
 * headers; a body with {@code application{version, elf_sha256}} and {@code board{type, name}} plus
 * either the Wi-Fi fields ({@code ssid}, {@code rssi}) or a cellular board's ({@code carrier},
 * {@code imei}, …). The product is the User-Agent's board name.
 *
 * @param deviceId     the MAC from {@code Device-Id}, lowercased (devices differ in case)
 * @param rssi         the Wi-Fi signal, or null on cellular boards
 * @param signed       whether the board activates with an HMAC ({@link #signed(HttpHeaders)})
 * @param serialNumber the {@code Serial-Number} header, or null
 */
record XiaozhiRequest(String deviceId, String productId, String version, String boardType, Integer rssi,
                      boolean signed, String serialNumber) {

    static final String DEVICE_ID_REQUIRED = "Device ID is required";
    static final String INVALID = "Invalid OTA request";

    /** A request the seed answers with 400 and this error text. */
    static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** The device id from the headers (400 "Device ID is required" when missing or malformed). */
    static String deviceId(HttpHeaders headers) {
        String id = headers.get("Device-Id");
        if (id == null || id.isBlank()) {
            throw new Invalid(DEVICE_ID_REQUIRED);
        }
        String normalized = id.trim().toLowerCase(Locale.ROOT);
        if (!Names.isDeviceId(normalized)) {
            throw new Invalid(INVALID);
        }
        return normalized;
    }

    /** The product: the board name before '/' in {@code User-Agent}, as the xiaozhi firmware sends it. */
    static String productId(HttpHeaders headers) {
        String ua = headers.get("User-Agent");
        if (ua == null || ua.isBlank()) {
            throw new Invalid(INVALID);
        }
        int slash = ua.indexOf('/');
        String board = (slash < 0 ? ua : ua.substring(0, slash)).trim();
        if (!Names.isProductId(board)) {
            throw new Invalid(INVALID);
        }
        return board;
    }

    /**
     * Whether the board must activate with a serial number and its HMAC: every {@code Activation-Version}
     * but {@code 1} (boards without an efuse serial number send 1 and activate with {@code {}}).
     */
    static boolean signed(HttpHeaders headers) {
        String v = headers.get("Activation-Version");
        return v == null || !"1".equals(v.trim());
    }

    /** The {@code Serial-Number} header (boards with {@code Activation-Version: 2}), or null. */
    static String serialNumber(HttpHeaders headers) {
        String v = headers.get("Serial-Number");
        return v == null || v.isBlank() ? null : v.trim();
    }

    static XiaozhiRequest parse(HttpHeaders headers, byte[] body) {
        String deviceId = deviceId(headers);
        for (String h : new String[] {"Client-Id", "Activation-Version"}) {
            String v = headers.get(h);
            if (v == null || v.isBlank()) {
                throw new Invalid(INVALID);
            }
        }
        String productId = productId(headers);
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new Invalid(INVALID);
        }
        if (root == null || !root.isObject()) {
            throw new Invalid(INVALID);
        }
        JsonNode app = object(root, "application");
        String version = text(app, "version");
        text(app, "elf_sha256");
        if (!Names.isVersion(version)) {
            throw new Invalid(INVALID);
        }
        JsonNode board = object(root, "board");
        String type = text(board, "type");
        text(board, "name");
        Integer rssi = null;
        if (board.has("ssid") || board.has("rssi")) {
            text(board, "ssid");
            JsonNode r = board.get("rssi");
            if (r == null || !r.isNumber()) {
                throw new Invalid(INVALID);
            }
            rssi = r.asInt();
        } else if (!board.has("carrier") && !board.has("imei")) {
            throw new Invalid(INVALID);
        }
        optionalTypes(root);
        return new XiaozhiRequest(deviceId, productId, version, type, rssi, signed(headers), serialNumber(headers));
    }

    /** The seed's optional fields: absent or null is fine, present with another type is an invalid request. */
    private static void optionalTypes(JsonNode root) {
        for (String f : new String[] {"mac_address", "uuid", "chip_model_name"}) {
            mustBe(root.get(f), JsonNode::isTextual);
        }
        for (String f : new String[] {"flash_size", "psram_size"}) {
            mustBe(root.get(f), JsonNode::isNumber);
        }
        mustBe(root.get("partition_table"), JsonNode::isArray);
    }

    private static void mustBe(JsonNode value, java.util.function.Predicate<JsonNode> type) {
        if (value != null && !value.isNull() && !type.test(value)) {
            throw new Invalid(INVALID);
        }
    }

    private static JsonNode object(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || !n.isObject()) {
            throw new Invalid(INVALID);
        }
        return n;
    }

    private static String text(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || !n.isTextual()) {
            throw new Invalid(INVALID);
        }
        return n.asText();
    }
}
