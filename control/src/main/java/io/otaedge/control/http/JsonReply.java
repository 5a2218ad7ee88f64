package io.otaedge.control.http;

import io.otaedge.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Writes JSON responses with a real {@code Content-Length} and header names in canonical case.
 * Netty keeps a header name exactly as it is set, and reactor-netty only adds its own lowercase
 * {@code content-length} when none is present, so setting it here is what keeps the case.
 */
public final class JsonReply {

    public static final String CONTENT_TYPE = "Content-Type";
    public static final String CONTENT_LENGTH = "Content-Length";
    public static final String APPLICATION_JSON = "application/json";

    private JsonReply() {
    }

    public static Publisher<Void> send(HttpServerResponse response, int status, Object body) {
        return sendBytes(response, status, Json.bytes(body));
    }

    public static Publisher<Void> sendBytes(HttpServerResponse response, int status, byte[] json) {
        return response.status(status)
                .header(CONTENT_TYPE, APPLICATION_JSON)
                .header(CONTENT_LENGTH, Integer.toString(json.length))
                .sendByteArray(Mono.just(json));
    }

    public static Map<String, Object> error(String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", code);
        m.put("message", message);
        return m;
    }

    public static Publisher<Void> sendError(HttpServerResponse response, ApiException e) {
        return send(response, e.status(), error(e.code(), e.getMessage()));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
