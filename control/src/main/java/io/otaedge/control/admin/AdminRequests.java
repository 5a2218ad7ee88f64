package io.otaedge.control.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.otaedge.control.http.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import reactor.netty.http.server.HttpServerRequest;

/** Field readers for admin requests: each failure is a 400 that names the field. */
public final class AdminRequests {

    private AdminRequests() {
    }

    public static Map<String, String> query(HttpServerRequest request) {
        return new QueryStringDecoder(request.uri()).parameters().entrySet().stream()
                .filter(e -> !e.getValue().isEmpty())
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0)));
    }

    /** The request path's last segment: a path variable of a route that has no template ({@code PATCH}). */
    static String lastSegment(HttpServerRequest request) {
        String path = request.path();
        return QueryStringDecoder.decodeComponent(path.substring(path.lastIndexOf('/') + 1));
    }

    public static String requiredText(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            throw ApiException.badRequest(field + " is required");
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw ApiException.badRequest(field + " must be a non-empty string");
        }
        return n.asText();
    }

    public static String optionalText(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest(field + " must be a string");
        }
        return n.asText();
    }

    public static int optionalInt(JsonNode body, String field, int defaultValue, int min, int max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return defaultValue;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
            throw ApiException.badRequest(field + " must be an integer from " + min + " to " + max);
        }
        return n.asInt();
    }

    /** An optional array of strings (numbers are taken as their text: device ids are often numeric). */
    public static List<String> optionalStrings(JsonNode body, String field, Predicate<String> valid, String what) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw ApiException.badRequest(field + " must be an array");
        }
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode item : n) {
            String s = item.isTextual() || item.isIntegralNumber() ? item.asText() : null;
            if (s == null || !valid.test(s)) {
                throw ApiException.badRequest(field + " must hold only " + what);
            }
            out.add(s);
        }
        return out;
    }

    static boolean optionalBoolean(JsonNode body, String field, boolean defaultValue) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return defaultValue;
        }
        if (!n.isBoolean()) {
            throw ApiException.badRequest(field + " must be true or false");
        }
        return n.asBoolean();
    }
}
