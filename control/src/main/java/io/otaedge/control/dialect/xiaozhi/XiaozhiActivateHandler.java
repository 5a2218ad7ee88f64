package io.otaedge.control.dialect.xiaozhi;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpHeaders;
import io.otaedge.common.json.Json;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.dialect.Hmacs;
import io.otaedge.control.http.RequestBodies;
import java.io.IOException;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code POST /v1/ota/activate}: {@code {"algorithm":"hmac-sha256","serial_number","challenge","hmac"}}
 * from boards with a serial number ({@code Activation-Version: 2}), {@code {}} from the others
 * ({@code Activation-Version: 1}). The HMAC is checked against the serial's key ({@link SerialKeys}); an
 * activation opened by a signing board, or an activate call that says it signs, refuses {@code {}}; the
 * serial must be the one the OTA call's {@code Serial-Number} recorded for the device (and the header's,
 * when sent). Then {@code 202} while no user has entered the code, {@code 200} once one has (the device is
 * then activated for good).
 */
public final class XiaozhiActivateHandler {

    static final String INVALID_HMAC = "Invalid HMAC";
    static final String HMAC_REQUIRED = "Serial number and HMAC required";
    static final String INVALID_SERIAL = "Invalid serial number";
    static final String INVALID_CHALLENGE = "Invalid challenge";

    /** An activation refused with its status (403: HMAC missing or wrong, another serial, wrong challenge). */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private final ProductRepository products;
    private final XiaozhiStore store;

    public XiaozhiActivateHandler(ProductRepository products, XiaozhiStore store) {
        this.products = products;
        this.store = store;
    }

    public Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        Mono<Object[]> reply = RequestBodies.read(request, XiaozhiOtaHandler.MAX_BODY)
                .onErrorResume(e -> {
                    response.header("Connection", "close");
                    return Mono.error(new XiaozhiRequest.Invalid(XiaozhiRequest.INVALID));
                })
                .flatMap(body -> activate(request, body));
        return XiaozhiOtaHandler.send(response, reply, "activation");
    }

    private Mono<Object[]> activate(HttpServerRequest request, byte[] raw) {
        HttpHeaders headers = request.requestHeaders();
        String deviceId = XiaozhiRequest.deviceId(headers);
        String productId = XiaozhiRequest.productId(headers);
        JsonNode body = parse(raw);
        String serial = text(body, "serial_number");
        String challenge = text(body, "challenge");
        String hmac = text(body, "hmac");
        if (serial == null) {
            // {} is what a board without a serial number sends, with Activation-Version 1 only.
            if (XiaozhiRequest.signed(headers)) {
                throw new Refused(403, HMAC_REQUIRED);
            }
        } else {
            if (serial.isEmpty() || challenge == null || challenge.isEmpty() || hmac == null
                    || !"hmac-sha256".equalsIgnoreCase(String.valueOf(text(body, "algorithm")))) {
                throw new XiaozhiRequest.Invalid(XiaozhiRequest.INVALID);
            }
            String header = XiaozhiRequest.serialNumber(headers);
            if (header != null && !header.equals(serial)) {
                throw new Refused(403, INVALID_SERIAL);
            }
        }
        return products.findCached(productId)
                .switchIfEmpty(Mono.error(() -> new XiaozhiRequest.Invalid(XiaozhiRequest.INVALID)))
                .flatMap(product -> {
                    if (serial != null && !Hmacs.hexEquals(SerialKeys.expectedHmac(product.accessKey(), serial, challenge), hmac)) {
                        return Mono.error(new Refused(403, INVALID_HMAC));
                    }
                    // The store checks the challenge, and the serial against what the OTA call recorded.
                    return store.activate(productId, deviceId, challenge, serial);
                })
                .map(state -> switch (state) {
                    case "ACTIVATED" -> new Object[] {200, Map.of("message", "Device activated")};
                    case "PENDING" -> new Object[] {202, Map.of("message", "Waiting for activation")};
                    case "BAD" -> throw new Refused(403, INVALID_CHALLENGE);
                    case "UNSIGNED" -> throw new Refused(403, HMAC_REQUIRED);
                    case "SERIAL" -> throw new Refused(403, INVALID_SERIAL);
                    default -> throw new XiaozhiRequest.Invalid(XiaozhiRequest.INVALID);
                });
    }

    private static JsonNode parse(byte[] raw) {
        if (raw.length == 0) {
            return Json.mapper().createObjectNode();
        }
        try {
            JsonNode n = Json.mapper().readTree(raw);
            if (n != null && n.isObject()) {
                return n;
            }
        } catch (IOException e) {
            // falls through
        }
        throw new XiaozhiRequest.Invalid(XiaozhiRequest.INVALID);
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new XiaozhiRequest.Invalid(XiaozhiRequest.INVALID);
        }
        return n.asText();
    }
}
