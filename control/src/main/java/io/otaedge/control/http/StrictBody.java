package io.otaedge.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An admin request body that remembers which fields its handler looked at, so a field nobody read (a typo,
 * a field of another endpoint) is refused by name instead of silently doing nothing. The handler's own
 * reads are the list of known fields: a field added to a reader is known without a second list to keep.
 */
public final class StrictBody extends ObjectNode {

    private static final long serialVersionUID = 1L;

    private final transient Set<String> read = new HashSet<>();

    private StrictBody(Map<String, JsonNode> fields) {
        super(JsonNodeFactory.instance, fields);
    }

    /** A tracking copy of {@code body} (a JSON object, as {@link RequestBodies#readObject} returns). */
    public static StrictBody of(JsonNode body) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        body.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
        return new StrictBody(fields);
    }

    @Override
    public JsonNode get(String field) {
        read.add(field);
        return super.get(field);
    }

    @Override
    public JsonNode path(String field) {
        read.add(field);
        return super.path(field);
    }

    @Override
    public JsonNode required(String field) {
        read.add(field);
        return super.required(field);
    }

    /** Call after every field was read: a 400 {@code unknown_field} naming the fields nobody read, in body order. */
    public void refuseUnread() {
        refuse(unread());
    }

    /** The fields nobody read so far, in body order. */
    public List<String> unread() {
        return _children.keySet().stream().filter(f -> !read.contains(f)).toList();
    }

    /** A 400 {@code unknown_field} naming {@code unknown}; nothing when it is empty. */
    public static void refuse(List<String> unknown) {
        if (!unknown.isEmpty()) {
            throw new ApiException(400, "unknown_field", (unknown.size() == 1 ? "unknown field " : "unknown fields ")
                    + String.join(", ", unknown.stream().map(f -> "'" + f + "'").toList()));
        }
    }
}
