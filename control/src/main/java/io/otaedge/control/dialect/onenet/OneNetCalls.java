package io.otaedge.control.dialect.onenet;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.control.catalog.Product;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.limits.ThrottledLog;
import java.io.IOException;
import java.util.Map;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * What every OneNET call shares: HTTP 200 with the {@code {errno,error,data}} envelope whatever
 * happens, small JSON bodies read whole before answering, refusals as {@link OneNetCheckRequest.Invalid}.
 */
final class OneNetCalls {

    private static final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(OneNetCalls.class), ThrottledLog.INTERVAL);
    /** OneNET bodies are a field or two; anything larger is not a OneNET device. */
    static final int MAX_BODY = 16 * 1024;

    private OneNetCalls() {
    }

    static Map<String, String> query(HttpServerRequest request) {
        return OneNetCheckHandler.Query.parse(request.uri());
    }

    static OneNetCheckRequest.Invalid refuse(OneNetErrno errno, String message) {
        return new OneNetCheckRequest.Invalid(errno, message);
    }

    /** A call without a body: settle the (empty) inbound, then answer. */
    static Publisher<Void> withoutBody(HttpServerRequest request, HttpServerResponse response, String call,
                                       Mono<OneNetReply> reply) {
        return send(response, call, RequestBodies.settleUnread(request, response).then(reply));
    }

    /** The product the {@code Authorization} header authenticates; errno 1 when it does not. */
    static Mono<Product> authenticated(OneNetAuthenticator authenticator, String authorization) {
        return authenticator.authenticate(authorization)
                .switchIfEmpty(Mono.error(() -> refuse(OneNetErrno.AUTH_FAILED, "authentication failed")));
    }

    /**
     * A call with a JSON object body. The body is read whole first (an answer before it would leave its
     * bytes on a kept-alive connection), then the {@code Authorization} header is checked (errno 1), and
     * only then is the body parsed and handed on with the product: an unauthenticated caller learns
     * nothing about its body. A body that is not a JSON object is errno 2 (or {@code badBody}).
     */
    static Publisher<Void> withBody(HttpServerRequest request, HttpServerResponse response, String call,
                                    OneNetAuthenticator authenticator, OneNetErrno badBody,
                                    BiFunction<Product, JsonNode, Mono<OneNetReply>> handler) {
        String authorization = request.requestHeaders().get("Authorization");
        Mono<OneNetReply> reply = RequestBodies.read(request, MAX_BODY)
                .onErrorResume(e -> {
                    // Too large (or the client went away): the rest of the body is unread, so close.
                    response.header("Connection", "close");
                    return Mono.error(refuse(OneNetErrno.BAD_PARAMETERS, "unreadable body"));
                })
                .flatMap(bytes -> authenticated(authenticator, authorization)
                        .flatMap(product -> handler.apply(product, parseObject(bytes, badBody))));
        return send(response, call, reply);
    }

    private static JsonNode parseObject(byte[] body, OneNetErrno badBody) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // falls through to the refusal below
        }
        throw refuse(badBody, "the body must be a JSON object");
    }

    private static Publisher<Void> send(HttpServerResponse response, String call, Mono<OneNetReply> reply) {
        return reply
                .onErrorResume(OneNetCheckRequest.Invalid.class, e -> Mono.just(OneNetReply.error(e.errno())))
                .onErrorResume(e -> {
                    log.warning(call, "OneNET " + call + " failed", e);
                    return Mono.just(OneNetReply.error(OneNetErrno.INTERNAL));
                })
                .flatMap(r -> Mono.from(JsonReply.send(response, 200, r)));
    }

    /** An integer field, or null when absent or not an integer. */
    static Integer intField(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n != null && n.isIntegralNumber() && n.canConvertToInt()) {
            return n.asInt();
        }
        if (n != null && n.isTextual()) {
            try {
                return Integer.valueOf(n.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
