package io.otaedge.control.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.netty.util.AttributeKey;
import java.io.IOException;

/**
 * How deep and how long a JSON body a port accepts. Checked in one streaming pass over the bytes before
 * any handler builds a tree: nesting through Jackson's {@link StreamReadConstraints}, array length by
 * counting (Jackson has no such constraint). Kept on each connection of the port ({@link #ATTR}), so
 * {@link RequestBodies} applies it wherever a body is read.
 */
public final class JsonLimits {

    public static final AttributeKey<JsonLimits> ATTR = AttributeKey.valueOf("ota.jsonLimits");

    private final int maxDepth;
    private final int maxArrayLength;
    private final JsonFactory factory;

    public JsonLimits(int maxDepth, int maxArrayLength) {
        this.maxDepth = maxDepth;
        this.maxArrayLength = maxArrayLength;
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
                .build();
    }

    /**
     * Fails with a 400 when {@code body} is JSON nested deeper or holding a longer array than allowed.
     * A body that is not JSON passes: the handler that parses it says so in its own terms.
     */
    public void check(byte[] body) {
        if (!looksLikeJson(body)) {
            return;
        }
        int[] counts = new int[maxDepth + 2]; // per open container: elements so far, -1 for an object
        int depth = 0;
        try (JsonParser p = factory.createParser(body)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME) {
                    continue;
                }
                if (t == JsonToken.END_ARRAY || t == JsonToken.END_OBJECT) {
                    depth--;
                    continue;
                }
                if (depth > 0 && counts[depth] >= 0 && ++counts[depth] > maxArrayLength) {
                    throw new ApiException(400, "json_array_too_long",
                            "a JSON array in the body has more than " + maxArrayLength + " elements");
                }
                if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
                    depth++;
                    counts[depth] = t == JsonToken.START_ARRAY ? 0 : -1;
                }
            }
        } catch (StreamConstraintsException e) {
            throw new ApiException(400, "json_too_deep", "the JSON body is nested deeper than " + maxDepth + " levels");
        } catch (IOException notJson) {
            // Not valid JSON: left to the handler's own parser and message.
        }
    }

    private static boolean looksLikeJson(byte[] body) {
        for (byte b : body) {
            if (b == '{' || b == '[') {
                return true;
            }
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return false;
    }
}
