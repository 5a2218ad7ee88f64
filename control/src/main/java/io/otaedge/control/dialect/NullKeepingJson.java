package io.otaedge.control.dialect;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otaedge.common.json.Json;

/**
 * JSON that writes {@code null} values: FOG's {@code "mac_range":null, "next":null} and Aliyun's
 * {@code "message":null, "data":null} are part of their wire shapes, which the shared mapper
 * (nulls left out) would drop.
 */
public final class NullKeepingJson {

    private static final ObjectMapper MAPPER = Json.mapper().copy().setSerializationInclusion(JsonInclude.Include.ALWAYS);

    private NullKeepingJson() {
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + value.getClass().getName(), e);
        }
    }
}
