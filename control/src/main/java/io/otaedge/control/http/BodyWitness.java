package io.otaedge.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Consumer;

/**
 * Sees the JSON object a handler read with {@link RequestBodies#readObject}, when one is put in the Reactor
 * context under this class (the admin API's audit trail keeps the essentials of each change this way, without
 * every handler reporting them).
 */
@FunctionalInterface
public interface BodyWitness extends Consumer<JsonNode> {
}
