package io.otaedge.edge.luatos;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.otaedge.common.json.Json;
import io.otaedge.common.logging.RequestId;
import io.otaedge.edge.exchange.Exchanges;
import io.otaedge.edge.exchange.RequestIds;
import io.netty.handler.codec.http.HttpRequest;
import io.otaedge.common.luatos.LuatosDecisionApi;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.edge.control.ControlHttpClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Asks the control service's internal endpoint ({@code GET /internal/v1/luatos/decision?<query>} with
 * {@code X-OTA-Internal-Secret}, the device's address in {@code X-Forwarded-For} and the request's {@code X-Request-Id}) through the edge's {@link ControlHttpClient}: on the device channel's
 * own event loop, no thread hop, nothing blocks, connections kept alive and pooled. A ranged retry adds
 * {@code X-OTA-Resume: <first byte>}, so control keeps serving the grant the device was downloading.
 */
public final class ControlDecisionClient implements LuatosDecisions {

    private final ControlHttpClient control;
    private final String secret;

    /** {@code controlUrl}: the control service's operator port, e.g. {@code http://127.0.0.1:8082} (read per call). */
    public ControlDecisionClient(Supplier<URI> controlUrl, String secret, Duration timeout) {
        this(new ControlHttpClient(controlUrl, timeout), secret);
    }

    public ControlDecisionClient(ControlHttpClient control, String secret) {
        this.control = control;
        this.secret = secret;
    }

    @Override
    public CompletionStage<LuatosDecision> decide(String query, long resumeFrom, Channel requester) {
        HttpHeaders headers = new DefaultHttpHeaders().set(LuatosDecisionApi.SECRET_HEADER, secret);
        if (resumeFrom > 0) {
            headers.set(LuatosDecisionApi.RESUME_HEADER, Long.toString(resumeFrom));
        }
        // The id of the request being answered, so both services' access logs name the same one.
        HttpRequest answering = Exchanges.of(requester).oldest();
        if (answering != null) {
            headers.set(RequestId.HEADER, RequestIds.of(answering));
        }
        // The device's address, for control's per-address limit (control trusts it because of the secret).
        if (requester.remoteAddress() instanceof InetSocketAddress device && device.getAddress() != null) {
            headers.set(LuatosDecisionApi.FORWARDED_FOR_HEADER, device.getAddress().getHostAddress());
        }
        return control.send(requester, HttpMethod.GET, LuatosDecisionApi.PATH + "?" + query, headers, new byte[0])
                .thenApply(reply -> {
                    try {
                        return parse(reply.status(), reply.body());
                    } catch (IOException e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
    }

    /**
     * Turns the control service's answer into a decision. 200: its JSON. 401/403 (the secret) and 404/405
     * (no decision route there: another port, or control without the secret): {@link LuatosDecision.Misconfigured}.
     * Another 4xx but 408 and 429: control refused the device's own query, which the device gets as a
     * refusal with that status. Anything else, and a malformed 200, fails the stage: an outage, so the
     * edge answers 503 with Retry-After.
     */
    static LuatosDecision parse(int status, byte[] body) throws IOException {
        switch (status) {
            case 200:
                break;
            case 401, 403:
                return new LuatosDecision.Misconfigured(status,
                        "control refused the edge's X-OTA-Internal-Secret: set the same OTA_INTERNAL_SECRET on both");
            case 404, 405:
                return new LuatosDecision.Misconfigured(status, "control has no LuatOS decision route there: "
                        + "OTA_EDGE_CONTROL_URL must name control's operator port, and control needs OTA_INTERNAL_SECRET");
            case 408, 429:
                throw new IOException("the control service answered " + status);
            default:
                if (status >= 400 && status < 500) {
                    return new LuatosDecision.Refusal(status, "the request was refused as malformed");
                }
                throw new IOException("the control service answered " + status);
        }
        JsonNode n = Json.mapper().readTree(body);
        if (n != null && n.path("upgrade").asBoolean(false) && n.has("grant")) {
            return new LuatosDecision.Grant(Json.mapper().treeToValue(n.get("grant"), TokenGrant.class));
        }
        if (n != null && n.has("upgrade") && !n.path("upgrade").asBoolean(true)) {
            return new LuatosDecision.Refusal(n.path("status").asInt(503), n.path("reason").asText("no upgrade"));
        }
        throw new IOException("the control service's decision is malformed");
    }
}
