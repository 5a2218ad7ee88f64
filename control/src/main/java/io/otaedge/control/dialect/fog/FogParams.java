package io.otaedge.control.dialect.fog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.otaedge.common.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * FOG request parameters from a JSON body or a form ({@code application/x-www-form-urlencoded}, where a
 * list is repeated keys or comma-separated), or a query string; every failure is code 10000.
 */
final class FogParams {

    private final JsonNode node;

    private FogParams(JsonNode node) {
        this.node = node;
    }

    static FogParams body(String contentType, byte[] body) {
        if (body.length == 0) {
            return new FogParams(Json.mapper().createObjectNode());
        }
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return form("?" + new String(body, StandardCharsets.UTF_8));
        }
        try {
            JsonNode n = Json.mapper().readTree(body);
            if (n != null && n.isObject()) {
                return new FogParams(n);
            }
        } catch (IOException e) {
            // falls through
        }
        throw FogReply.parameter("请求体不是JSON对象 (the body is not a JSON object)");
    }

    static FogParams form(String uri) {
        ObjectNode o = Json.mapper().createObjectNode();
        Map<String, List<String>> parameters;
        try {
            parameters = new QueryStringDecoder(uri).parameters();
        } catch (IllegalArgumentException malformed) {
            // A broken %-escape: Netty's decoder refuses it, and so does the seed's parameter error.
            throw FogReply.parameter("参数编码错误 (a parameter has a malformed %-escape)");
        }
        for (Map.Entry<String, List<String>> e : parameters.entrySet()) {
            if (e.getValue().size() == 1) {
                o.put(e.getKey(), e.getValue().get(0));
            } else {
                ArrayNode a = o.putArray(e.getKey());
                e.getValue().forEach(a::add);
            }
        }
        return new FogParams(o);
    }

    String required(String field) {
        String s = optional(field);
        if (s == null || s.isBlank()) {
            throw FogReply.parameter("缺少" + field + "参数 (" + field + " is required)");
        }
        return s;
    }

    String optional(String field) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isValueNode()) {
            throw FogReply.parameter(field + "类型错误 (" + field + " must be a string)");
        }
        return n.asText();
    }

    boolean has(String field) {
        return node.has(field);
    }

    int optionalInt(String field, int defaultValue, int min, int max) {
        String s = optional(field);
        if (s == null || s.isBlank()) {
            return defaultValue;
        }
        try {
            int v = Integer.parseInt(s.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw FogReply.parameter(field + "取值错误 (" + field + " must be an integer from " + min + " to " + max + ")");
    }

    /** A string list: a JSON array, a JSON/form string with commas, or null when absent. */
    List<String> optionalList(String field) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            for (JsonNode item : n) {
                if (!item.isValueNode()) {
                    throw FogReply.parameter(field + "类型错误 (" + field + " must be a list of strings)");
                }
                out.add(item.asText().trim());
            }
        } else if (n.isValueNode()) {
            for (String s : n.asText().split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        } else {
            throw FogReply.parameter(field + "类型错误 (" + field + " must be a list of strings)");
        }
        return out;
    }
}
