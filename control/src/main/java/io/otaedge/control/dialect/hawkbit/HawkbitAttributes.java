package io.otaedge.control.dialect.hawkbit;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A configData body, {@code {"data": {name: value, …}, "mode": "merge"}}, as hawkBit's {@code DdiConfigData}:
 * names and values up to 128 characters (hawkBit's limits), at most 100 attributes a call. The modes are
 * hawkBit's {@code DdiUpdateMode}: {@code merge} (the default: the names given are set, the others kept),
 * {@code replace} (the device's attributes become exactly these), {@code remove} (the names given are dropped;
 * their values are not looked at). Other fields ({@code id}, {@code time}, {@code status}, which SWUpdate 2022.12
 * sends) are ignored.
 *
 * @param attributes names and values in the body's order (values empty for {@code remove})
 */
record HawkbitAttributes(Mode mode, Map<String, String> attributes) {

    /** hawkBit's attribute update strategies. */
    enum Mode {
        MERGE, REPLACE, REMOVE
    }

    static final int MAX_LENGTH = 128;
    static final int MAX_ATTRIBUTES = 100;

    static HawkbitAttributes parse(byte[] body) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw HawkbitError.badBody("the body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw HawkbitError.badBody("the body must be a JSON object");
        }
        Mode mode = mode(root.get("mode"));
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
            boolean badValue = mode != Mode.REMOVE && (!v.isValueNode() || v.isNull() || v.asText().length() > MAX_LENGTH);
            if (name.isEmpty() || name.length() > MAX_LENGTH || badValue) {
                throw HawkbitError.badBody("attribute names and values must be 1 to " + MAX_LENGTH
                        + " characters (a string, number or boolean value): " + abbreviated(name));
            }
            attributes.put(name, mode == Mode.REMOVE ? "" : v.asText());
        }
        return new HawkbitAttributes(mode, attributes);
    }

    /** hawkBit writes the modes in lower case; absent or null is {@code merge}. */
    private static Mode mode(JsonNode n) {
        if (n == null || n.isNull()) {
            return Mode.MERGE;
        }
        return switch (n.isTextual() ? n.asText() : "") {
            case "merge" -> Mode.MERGE;
            case "replace" -> Mode.REPLACE;
            case "remove" -> Mode.REMOVE;
            default -> throw HawkbitError.badBody("mode must be merge, replace or remove");
        };
    }

    private static String abbreviated(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
