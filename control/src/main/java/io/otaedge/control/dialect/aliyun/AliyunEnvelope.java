package io.otaedge.control.dialect.aliyun;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.control.dialect.NullKeepingJson;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.http.StoreOutage;
import io.otaedge.control.limits.ThrottledLog;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Aliyun Living's envelope around every call: {@code POST} with {@code {id, version, request{apiVer, iotToken},
 * params}}, answered {@code {id, code, message, localizedMsg, data}} with HTTP 200 (429 over a rate limit). One
 * adapter reads the body, hands the call to its operation and maps every failure to the envelope's codes.
 */
final class AliyunEnvelope {

    private static final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(AliyunEnvelope.class), ThrottledLog.INTERVAL);
    private static final int MAX_BODY = 64 * 1024;

    /** One call's envelope: its token (null when absent) and params (null unless an object). */
    record Call(String iotToken, JsonNode params) {
    }

    private AliyunEnvelope() {
    }

    /** A route answering {@code op}'s data (null data when it completes empty) in the envelope. */
    static BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> route(Function<Call, Mono<Object>> op) {
        return (request, response) -> {
            String replyId = UUID.randomUUID().toString();
            Mono<AliyunReply> reply = RequestBodies.read(request, MAX_BODY)
                    .onErrorResume(e -> {
                        response.header("Connection", "close");
                        return Mono.error(AliyunReply.parameter("the body is too large"));
                    })
                    .map(AliyunEnvelope::envelope)
                    .flatMap(call -> op.apply(call).map(Optional::of).defaultIfEmpty(Optional.empty()))
                    .map(data -> new AliyunReply(replyId, AliyunReply.OK, null, null, data.orElse(null)))
                    .onErrorResume(e -> {
                        if (e instanceof AliyunReply.TooManyRequests t) {
                            response.status(AliyunReply.TOO_MANY_REQUESTS)
                                    .header("Retry-After", Long.toString(t.refusal().retryAfterSeconds()));
                        }
                        if (e instanceof AliyunReply.Failure f) {
                            return Mono.just(new AliyunReply(replyId, f.code(), f.getMessage(), f.localized(), null));
                        }
                        log.warning(request.path(), "Aliyun " + request.path() + " failed", e);
                        if (StoreOutage.is(e)) {
                            return Mono.just(new AliyunReply(replyId, AliyunReply.UNAVAILABLE, "service not available.", "服务不可用", null));
                        }
                        return Mono.just(new AliyunReply(replyId, AliyunReply.INTERNAL, "internal error.", "服务器内部错误", null));
                    });
            return reply.flatMap(r -> Mono.from(JsonReply.sendBytes(response,
                    r.code() == AliyunReply.TOO_MANY_REQUESTS ? AliyunReply.TOO_MANY_REQUESTS : 200, NullKeepingJson.bytes(r))));
        };
    }

    /**
     * The envelope's token and params, as far as they can be read: a body that is not a JSON object carries no
     * token, and params that are not an object name no device; both end in 403, since the token is judged first.
     */
    static Call envelope(byte[] body) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            return new Call(null, null);
        }
        JsonNode request = root.get("request");
        JsonNode params = root.get("params");
        if (params != null && !params.isObject()) {
            params = null;
        }
        String token = request != null && request.isObject() && request.path("iotToken").isTextual()
                ? request.get("iotToken").asText() : null;
        return new Call(token, params);
    }
}
