package io.otaedge.control.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Locale;

/** Hides the values of fields whose names say they hold a credential, at any depth, before an audit entry keeps a body. */
final class Secrets {

    static final TextNode HIDDEN = TextNode.valueOf("(hidden)");

    private Secrets() {
    }

    static JsonNode hidden(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).objectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), isSecret(e.getKey()) ? HIDDEN : hidden(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            var copy = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> copy.add(hidden(n)));
            return copy;
        }
        return node;
    }

    private static boolean isSecret(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.contains("secret") || n.contains("token") || n.contains("password") || n.contains("key");
    }
}
