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
 * headers; a body with {@code application{version, elf_sha256}} and {@code board{type, name}}, whose
 * Wi-Fi fields ({@code ssid} a string, {@code rssi} a number) are typed when present. The product is the
 * User-Agent's board name.
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

    /** The headers every call must carry: {@code Device-Id}, {@code Client-Id}, {@code Activation-Version}, {@code User-Agent}. */
    private static String[] identity(HttpHeaders headers) {
        String deviceId = deviceId(headers);
        for (String h : new String[] {"Client-Id", "Activation-Version"}) {
            String v = headers.get(h);
            if (v == null || v.isBlank()) {
                throw new Invalid(INVALID);
            }
        }
        return new String[] {deviceId, productId(headers)};
    }

    /**
     * A {@code GET}: the firmware sends it, with the same headers and no body, when it has no system
     * information (78/xiaozhi-esp32 main/ota.cc {@code CheckVersion}); its version is then the one in
     * {@code User-Agent} ({@code <board>/<app version>}, main/system_info.cc).
     */
    static XiaozhiRequest fromHeaders(HttpHeaders headers) {
        String[] id = identity(headers);
        String ua = headers.get("User-Agent");
        int slash = ua.indexOf('/');
        String version = slash < 0 ? null : ua.substring(slash + 1).trim();
        if (!Names.isVersion(version)) {
            throw new Invalid(INVALID);
        }
        return new XiaozhiRequest(id[0], id[1], version, null, null, signed(headers), serialNumber(headers));
    }

    static XiaozhiRequest parse(HttpHeaders headers, byte[] body) {
        String[] id = identity(headers);
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
        // Only a connected Wi-Fi board sends ssid and rssi: cellular boards send carrier, csq, imei…, Ethernet
        // and RNDIS boards (and Wi-Fi boards in config mode) only type, name, manufacturer, mac
        // (78/xiaozhi-esp32 main/boards/common/*_board.cc GetBoardJson).
        mustBe(board.get("ssid"), JsonNode::isTextual);
        JsonNode r = board.get("rssi");
        mustBe(r, JsonNode::isNumber);
        Integer rssi = r == null || r.isNull() ? null : r.asInt();
        optionalTypes(root);
        return new XiaozhiRequest(id[0], id[1], version, type, rssi, signed(headers), serialNumber(headers));
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
