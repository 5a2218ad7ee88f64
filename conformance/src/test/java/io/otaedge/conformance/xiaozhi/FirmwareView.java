package io.otaedge.conformance.xiaozhi;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What xiaozhi firmware keeps from an OTA answer, read as {@code Ota::CheckVersion} (78/xiaozhi-esp32
 * main/ota.cc) reads it with cJSON: only strings where it tests {@code cJSON_IsString}, only numbers where it
 * tests {@code cJSON_IsNumber} (as {@code valueint}); inside {@code mqtt} and {@code websocket} every string and
 * number member is stored under its name and nothing else; MQTT when {@code mqtt} is an object, else websocket
 * when that is (application.cc {@code InitializeProtocol}); a new version only with both {@code version} and
 * {@code url} as strings, then by {@code IsNewVersionAvailable} or {@code force == 1}. The version comparison
 * is this test's own reading of {@code ParseVersion} (std::stoi on each '.'-piece), kept apart from control's.
 */
record FirmwareView(Long serverTimeMs, Integer timezoneOffsetMinutes, String activationCode, String activationMessage,
                    String activationChallenge, Integer activationTimeoutMs, Map<String, Object> mqtt,
                    Map<String, Object> websocket, String firmwareVersion, String firmwareUrl, boolean hasNewVersion) {

    static FirmwareView read(String body, String currentVersion) throws Exception {
        JsonNode root = Json.mapper().readTree(body);
        if (root == null || !root.isObject()) {
            throw new AssertionError("cJSON_Parse fails: ESP_ERR_INVALID_RESPONSE, the check is retried: " + body);
        }
        JsonNode act = root.path("activation");
        JsonNode time = root.path("server_time");
        JsonNode fw = root.path("firmware");
        String version = string(fw, "version");
        String url = string(fw, "url");
        boolean newer = false;
        if (version != null && url != null) {
            newer = isNewer(currentVersion, version);
            JsonNode force = fw.get("force");
            if (force != null && force.isNumber() && force.intValue() == 1) {
                newer = true;
            }
        }
        return new FirmwareView(
                time.isObject() && time.path("timestamp").isNumber() ? (long) time.get("timestamp").doubleValue() : null,
                time.isObject() && time.path("timezone_offset").isNumber() ? time.get("timezone_offset").intValue() : null,
                act.isObject() ? string(act, "code") : null,
                act.isObject() ? string(act, "message") : null,
                act.isObject() ? string(act, "challenge") : null,
                act.isObject() && act.path("timeout_ms").isNumber() ? act.get("timeout_ms").intValue() : null,
                stored(root.get("mqtt")), stored(root.get("websocket")), version, url, newer);
    }

    boolean hasActivationCode() {
        return activationCode != null;
    }

    boolean hasActivationChallenge() {
        return activationChallenge != null;
    }

    /** The protocol {@code InitializeProtocol} starts: MQTT also when neither block came (and then fails). */
    String protocol() {
        return mqtt != null ? "mqtt" : websocket != null ? "websocket" : "mqtt (no endpoint)";
    }

    private static String string(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    private static Map<String, Object> stored(JsonNode block) {
        if (block == null || !block.isObject()) {
            return null;
        }
        Map<String, Object> nvs = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = block.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isTextual()) {
                nvs.put(e.getKey(), e.getValue().asText());
            } else if (e.getValue().isNumber()) {
                nvs.put(e.getKey(), e.getValue().intValue());
            }
        }
        return nvs;
    }

    /** {@code IsNewVersionAvailable}: first differing number decides; on a common prefix, the longer is newer. */
    static boolean isNewer(String current, String offered) {
        List<Integer> c = parse(current);
        List<Integer> n = parse(offered);
        for (int i = 0; i < Math.min(c.size(), n.size()); i++) {
            if (!n.get(i).equals(c.get(i))) {
                return n.get(i) > c.get(i);
            }
        }
        return n.size() > c.size();
    }

    /** {@code ParseVersion}; a piece std::stoi throws on fails the test, as it would abort the device. */
    private static List<Integer> parse(String version) {
        List<Integer> out = new ArrayList<>();
        for (String piece : version.split("\\.")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*([+-]?\\d+)").matcher(piece);
            if (!m.find()) {
                throw new AssertionError("std::stoi throws on '" + piece + "' of '" + version + "': the device aborts");
            }
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }
}
