package io.otaedge.control.dialect.hawkbit;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A configData body, {@code {"data": {name: value, …}, "mode": "merge"}}, as hawkBit's {@code DdiConfigData}:
 * names and values up to 128 characters (hawkBit's limits), at most 100 attributes a call. Only {@code merge}
 * (hawkBit's default) is done here; other fields ({@code id}, {@code time}, {@code status}, which SWUpdate
 * 2022.12 sends) are ignored.
 */
final class HawkbitAttributes {

    static final int MAX_LENGTH = 128;
    static final int MAX_ATTRIBUTES = 100;

    private HawkbitAttributes() {
    }

    static Map<String, String> parse(byte[] body) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw HawkbitError.badBody("the body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw HawkbitError.badBody("the body must be a JSON object");
        }
        JsonNode mode = root.get("mode");
        if (mode != null && !mode.isNull() && !"merge".equals(mode.asText())) {
            throw HawkbitError.badBody("mode must be merge (replace and remove are not supported)");
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            throw HawkbitError.badBody("data is required, an object of attribute names and values");
        }
        if (data.size() > MAX_ATTRIBUTES) {
            throw HawkbitError.badBody("at most " + MAX_ATTRIBUTES + " attributes");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey().trim();
            JsonNode v = e.getValue();
            if (name.isEmpty() || name.length() > MAX_LENGTH || !v.isValueNode() || v.isNull()
                    || v.asText().length() > MAX_LENGTH) {
                throw HawkbitError.badBody("attribute names and values must be 1 to " + MAX_LENGTH
                        + " characters (a string, number or boolean value): " + abbreviated(name));
            }
            attributes.put(name, v.asText());
        }
        return attributes;
    }

    private static String abbreviated(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
