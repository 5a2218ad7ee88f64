package io.otaedge.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** Reads small request bodies (JSON) fully, with a size limit, without blocking. */
public final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * True when the request announces a body. A response sent before such a body was read must close
     * the connection: bytes still in flight would otherwise be read as the start of the next request
     * on a kept-alive connection.
     */
    public static boolean hasBody(HttpServerRequest request) {
        String length = request.requestHeaders().get("Content-Length");
        if (length != null) {
            return !length.trim().equals("0");
        }
        return request.requestHeaders().contains("Transfer-Encoding");
    }

    /**
     * For handlers that never read the body: consume the (empty) inbound before answering. Answering
     * a request with {@code Content-Length: 0} (a DELETE, say) without this leaves reactor-netty 1.3
     * waiting on that request, and the next request on the kept-alive connection hangs. A request with
     * a real body is not drained (it could be large): the answer closes the connection instead.
     */
    public static Mono<Void> settleUnread(HttpServerRequest request, HttpServerResponse response) {
        if (hasBody(request)) {
            response.header("Connection", "close");
            return Mono.empty();
        }
        return request.receive().then();
    }

    /**
     * The whole body (empty array when there is none); a body past {@code max} bytes fails with 413, a JSON
     * body past the port's {@link JsonLimits} with 400.
     */
    public static Mono<byte[]> read(HttpServerRequest request, int max) {
        JsonLimits[] json = new JsonLimits[1];
        request.withConnection(c -> json[0] = c.channel().attr(JsonLimits.ATTR).get());
        Mono<byte[]> body = readBytes(request, max);
        return json[0] == null ? body : body.doOnNext(json[0]::check);
    }

    private static Mono<byte[]> readBytes(HttpServerRequest request, int max) {
        String declared = request.requestHeaders().get("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > max) {
                    return Mono.error(tooLarge(max));
                }
            } catch (NumberFormatException e) {
                return Mono.error(ApiException.badRequest("Content-Length is not a number"));
            }
        }
        return request.receive().asByteArray()
                .collect(ByteArrayOutputStream::new, (out, chunk) -> {
                    if (out.size() + chunk.length > max) {
                        throw tooLarge(max);
                    }
                    out.writeBytes(chunk);
                })
                .map(ByteArrayOutputStream::toByteArray);
    }

    /** The body as a JSON object; an empty body counts as {@code {}} when {@code emptyIsObject}. */
    public static Mono<JsonNode> readObject(HttpServerRequest request, int max, boolean emptyIsObject) {
        return Mono.deferContextual(ctx -> parseObject(request, max, emptyIsObject)
                .doOnNext(node -> ctx.getOrEmpty(BodyWitness.class).ifPresent(w -> ((BodyWitness) w).accept(node))));
    }

    private static Mono<JsonNode> parseObject(HttpServerRequest request, int max, boolean emptyIsObject) {
        return read(request, max).map(bytes -> {
            if (bytes.length == 0 && emptyIsObject) {
                return Json.mapper().createObjectNode();
            }
            JsonNode node;
            try {
                node = Json.mapper().readTree(bytes);
            } catch (IOException e) {
                throw ApiException.badRequest("the body is not valid JSON");
            }
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            return node;
        });
    }

    private static ApiException tooLarge(int max) {
        return new ApiException(413, "payload_too_large", "the request body is larger than " + max + " bytes");
    }
}
