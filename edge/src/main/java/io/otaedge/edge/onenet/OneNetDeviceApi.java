package io.otaedge.edge.onenet;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.otaedge.common.json.Json;
import io.otaedge.common.logging.RequestId;
import io.otaedge.edge.exchange.RequestIds;
import io.otaedge.edge.control.ControlHttpClient;
import io.otaedge.edge.route.DeviceApi;
import io.otaedge.edge.logging.LogThrottle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.otaedge.edge.route.DeviceApi;

/**
 * OneNET's device API on the edge: OneNET devices are configured with one host and call everything
 * there, so the edge forwards their check, token check, progress, report and version calls (the
 * paths of {@code Route.Kind.DEVICE_API}) to control's device port and hands control's status,
 * {@code Content-Type} and body back. Passed on: method, path and query, {@code Authorization},
 * {@code Content-Type}, the body, {@code X-Request-Id} (the device's when sane, else the edge's) and
 * {@code X-Forwarded-For} with the device's address appended;
 * back: status, {@code Content-Type}, body and {@code Retry-After}.
 *
 * <p>OneNET devices read the {@code errno} in the body, not the status (the AT-command demo finds it
 * with {@code sscanf}), so an answer without OneNET's envelope tells them nothing. The device gets
 * OneNET's own internal error, errno 7, as control itself words it, when control cannot be reached,
 * does not answer in time, or answers 5xx without an envelope; and when control answers 401/403,
 * which its device port never does for a device's own mistake (OneNET's auth failures are errno 1
 * in a 200): {@code OTA_EDGE_DEVICE_API_URL} then names a port that asks for credentials, such as
 * control's operator port, and the reply says so for the operator's log. A body over the edge's cap
 * gets errno 2 without asking control.
 */
public final class OneNetDeviceApi implements DeviceApi {

    private static final Logger log = LoggerFactory.getLogger(OneNetDeviceApi.class);
    private static final String JSON = "application/json";
    /** Control's {@code OneNetReply.error(INTERNAL)} and {@code error(BAD_PARAMETERS)}, byte for byte. */
    static final Reply INTERNAL = envelope(7, "internal error");
    static final Reply BAD_PARAMETERS = envelope(2, "request parameter error");
    private static final String X_FORWARDED_FOR = "X-Forwarded-For";
    private static final LogThrottle LOG = new LogThrottle(10, TimeUnit.SECONDS);

    private final ControlHttpClient control;

    /** {@code control}: a client to control's device port (e.g. {@code http://control:8081}). */
    public OneNetDeviceApi(ControlHttpClient control) {
        this.control = control;
    }

    @Override
    public CompletionStage<Reply> forward(HttpRequest request, byte[] body, Channel requester) {
        if (body == null) {
            return CompletableFuture.completedFuture(BAD_PARAMETERS);
        }
        HttpHeaders headers = new DefaultHttpHeaders();
        copy(request.headers(), headers, "Authorization");
        copy(request.headers(), headers, "Content-Type");
        // The same id in both services' access logs: the device's own when sane, else the edge's.
        headers.set(RequestId.HEADER, RequestIds.of(request));
        String forwardedFor = forwardedFor(request.headers().get(X_FORWARDED_FOR), requester.remoteAddress());
        if (forwardedFor != null) {
            headers.set(X_FORWARDED_FOR, forwardedFor);
        }
        String call = request.method() + " " + originForm(request.uri());
        return control.send(requester, request.method(), originForm(request.uri()), headers, body)
                .handle((reply, error) -> {
                    if (error != null) {
                        if (LOG.allow()) {
                            log.warn("OneNET call {} could not be forwarded to control, answering errno 7", call, error);
                        }
                        return INTERNAL;
                    }
                    return answer(reply, call);
                });
    }

    /** What the device gets for control's {@code reply} (see the class comment). */
    static Reply answer(ControlHttpClient.Reply reply, String call) {
        int status = reply.status();
        if (status == 401 || status == 403) {
            return INTERNAL.misconfigured("control answered " + status + " to " + call + ": "
                    + OneNetDeviceApiSettings.KEY + " must name control's device port, which asks no credentials");
        }
        if (status >= 500 && !isEnvelope(reply.body())) {
            if (LOG.allow()) {
                log.warn("control answered {} without OneNET's envelope to {}: answering errno 7", status, call);
            }
            return INTERNAL;
        }
        String type = reply.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return new Reply(status, type == null ? JSON : type, reply.body(), reply.headers().get(HttpHeaderNames.RETRY_AFTER), null);
    }

    /** Whether a body is OneNET's envelope: a JSON object with a numeric {@code errno}. */
    static boolean isEnvelope(byte[] body) {
        try {
            JsonNode n = Json.mapper().readTree(body);
            return n != null && n.isObject() && n.path("errno").isInt();
        } catch (IOException notJson) {
            return false;
        }
    }

    @Override
    public void close() {
        control.close();
    }

    private static void copy(HttpHeaders from, HttpHeaders to, String name) {
        String value = from.get(name);
        if (value != null) {
            to.set(name, value);
        }
    }

    /** The device's address appended to what a proxy in front of the edge already said. */
    static String forwardedFor(String existing, SocketAddress remote) {
        String device = remote instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : null;
        if (device == null) {
            return existing;
        }
        return existing == null || existing.isBlank() ? device : existing + ", " + device;
    }

    /** {@code /path?query} of a request target, also when a module sent it in absolute form. */
    static String originForm(String uri) {
        if (uri.startsWith("http://") || uri.startsWith("https://")) {
            int slash = uri.indexOf('/', uri.indexOf("//") + 2);
            uri = slash < 0 ? "/" : uri.substring(slash);
        }
        int hash = uri.indexOf('#');
        return hash < 0 ? uri : uri.substring(0, hash);
    }

    private static Reply envelope(int errno, String error) {
        return new Reply(200, JSON, ("{\"errno\":" + errno + ",\"error\":\"" + error + "\",\"data\":{}}")
                .getBytes(StandardCharsets.UTF_8));
    }
}
